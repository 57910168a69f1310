import { encodeExecute, encodeHangup, type OutboundConnection } from '@switchyard/esl';
import type { ChannelControl } from './channel-control.ts';
import { killChannel } from './kill-channel.ts';

/** Options of {@link OutboundChannelControl}. */
export interface OutboundChannelControlOptions {
  commandTimeoutMs: number;
  /** `api` fallback for `uuid_break` when the socket is not `full` (the node's inbound link). */
  nodeApi?: (cmd: string) => Promise<string>;
}

/** Outbound flavour: commands go over the call's own socket as `sendmsg` (no uuid needed). */
export class OutboundChannelControl implements ChannelControl {
  constructor(
    private readonly oc: OutboundConnection,
    private readonly o: OutboundChannelControlOptions,
  ) {}

  sendExecute(app: string, arg: string, appUuid: string, eventLock = true): Promise<unknown> {
    return this.oc.commandEncoded(encodeExecute({ app, arg, eventUuid: appUuid, eventLock }), { timeoutMs: this.o.commandTimeoutMs });
  }

  async breakMedia(): Promise<void> {
    const cmd = `uuid_break ${this.oc.uniqueId} all`;
    if (this.oc.control === 'full') await this.oc.api(cmd, { timeoutMs: this.o.commandTimeoutMs });
    else await this.o.nodeApi?.(cmd);
  }

  async hangup(cause: string): Promise<void> {
    const api = this.oc.control === 'full' ? (cmd: string) => this.oc.api(cmd, { timeoutMs: this.o.commandTimeoutMs }) : this.o.nodeApi;
    if (api) await killChannel(api, this.oc.uniqueId, cause);
    else await this.oc.commandEncoded(encodeHangup(undefined, cause), { timeoutMs: this.o.commandTimeoutMs });
  }
}
