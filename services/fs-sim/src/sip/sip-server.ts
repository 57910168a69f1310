import { type Socket, createSocket } from 'node:dgram';
import type { SwitchCore } from '../core/switch-core.ts';
import { parseSip } from './sip-message.ts';
import { SipUac } from './sip-uac.ts';
import { type SipPeer, SipUas } from './sip-uas.ts';

/** One UDP SIP profile (`internal`): UAS for inbound calls, UAC for originate/bridge. */
export class SipServer {
  private readonly socket: Socket;
  private uas: SipUas | undefined;
  private uac: SipUac | undefined;
  /** Datagrams that were not SIP (counted, ignored). */
  garbage = 0;

  constructor(private readonly sw: SwitchCore) {
    this.socket = createSocket('udp4');
    this.socket.on('message', (buf, rinfo) => this.onMessage(buf, { host: rinfo.address, port: rinfo.port }));
    this.socket.on('error', () => {
      // ICMP errors and the like must not take the simulator down
    });
  }

  /** Bind; resolves with the bound port and registers the `sofia` endpoint. */
  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.bind(port, host, () => {
        this.socket.off('error', reject);
        const bound = this.socket.address().port;
        const local: SipPeer = { host, port: bound };
        const send = (buf: Buffer, peer: SipPeer): void => {
          this.socket.send(buf, peer.port, peer.host);
        };
        this.uas = new SipUas(this.sw, send, local);
        this.uac = new SipUac(this.sw, send, local);
        this.sw.endpoints.set('sofia', this.uac.endpoint());
        this.sw.sipAddress = `${host}:${bound}`;
        resolve(bound);
      });
    });
  }

  private onMessage(buf: Buffer, peer: SipPeer): void {
    const msg = parseSip(buf);
    if (!msg || !this.uas || !this.uac) {
      this.garbage++;
      return;
    }
    try {
      if (msg.status !== undefined) {
        this.uac.onResponse(msg);
        return;
      }
      const callId = msg.headers.get('call-id')?.[0] ?? '';
      if (this.uac.owns(callId)) this.uac.onRequest(msg, peer);
      else this.uas.onRequest(msg, peer);
    } catch {
      this.garbage++;
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
