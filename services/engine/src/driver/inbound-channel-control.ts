import type { NodeLink } from '../nodes/node-link.ts';
import type { ChannelControl } from './channel-control.ts';

/**
 * Inbound flavour: commands go over the node's shared ESL link as `sendmsg <uuid>`.
 * The link is looked up per command, so a reconnected link is used transparently.
 */
export class InboundChannelControl implements ChannelControl {
  constructor(
    private readonly uuid: string,
    private readonly link: () => NodeLink | undefined,
  ) {}

  sendExecute(app: string, arg: string, appUuid: string, eventLock = true): Promise<void> {
    return this.need().sendExecute(this.uuid, app, arg, appUuid, eventLock);
  }

  async breakMedia(): Promise<void> {
    await this.need().api(`uuid_break ${this.uuid} all`);
  }

  hangup(cause: string): Promise<void> {
    return this.need().hangup(this.uuid, cause);
  }

  private need(): NodeLink {
    const l = this.link();
    if (!l?.up) throw new Error('node ESL link is down');
    return l;
  }
}
