import { EslError } from '@switchyard/esl';
import type { NodeLink } from '../nodes/node-link.ts';
import type { ChannelControl } from './channel-control.ts';
import { killChannel } from './kill-channel.ts';

/**
 * Inbound flavour: commands go over the node's shared ESL link as `sendmsg <uuid>`.
 * The link is looked up per command, so a reconnected link is used transparently.
 */
export class InboundChannelControl implements ChannelControl {
  constructor(
    private readonly uuid: string,
    private readonly link: () => NodeLink | undefined,
  ) {}

  sendExecute(app: string, arg: string, appUuid: string, eventLock = true): Promise<unknown> {
    try {
      return this.need().sendExecute(this.uuid, app, arg, appUuid, eventLock);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  async breakMedia(): Promise<void> {
    await this.need().api(`uuid_break ${this.uuid} all`);
  }

  /** `uuid_kill`: immediate, even while an event-locked app runs (a queued sendmsg hangup would wait for it). */
  async hangup(cause: string): Promise<void> {
    await killChannel((cmd) => this.need().api(cmd), this.uuid, cause);
  }

  private need(): NodeLink {
    const l = this.link();
    if (!l?.up) throw new EslError('not-connected', 'node ESL link is down');
    return l;
  }
}
