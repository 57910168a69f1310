import { connect } from 'node:net';
import type { ChannelRuntime, SwitchCore } from '../core/switch-core.ts';
import { EslSession } from './esl-session.ts';

/**
 * The `socket` application's TCP client: connects to the outbound ESL server, then serves it
 * like FreeSWITCH does (nothing is sent until the server says `connect`). The app ends when
 * the connection closes; a connect failure ends it at once (the dialplan then continues).
 */
export function installOutboundSocket(sw: SwitchCore, sessions: Set<EslSession>): void {
  sw.hooks.socket = (rt: ChannelRuntime, host: string, port: number, async: boolean, full: boolean, done: () => void) => {
    const socket = connect({ host, port });
    socket.setKeepAlive(true);
    let session: EslSession | undefined;
    const finish = (): void => {
      done();
    };
    socket.once('error', finish);
    socket.once('connect', () => {
      socket.off('error', finish);
      session = new EslSession(sw, socket, { kind: 'outbound', channel: rt, async, full }, (s) => {
        sessions.delete(s);
        finish();
      });
      sessions.add(session);
      // async sockets hear about the end after HANGUP_COMPLETE; static ones when the hangup
      // starts, before CHANNEL_HANGUP (the socket is served from the channel thread)
      if (async) rt.onHangupComplete.push(() => session?.channelEnded(rt));
      else rt.onHangup.push(() => session?.channelEnded(rt));
    });
    return {
      hangup: () => session?.close(),
    };
  };
}
