/**
 * How a driver sends work to its channel: the only thing that differs between the
 * inbound (sendmsg <uuid> on the node's shared connection) and the outbound (sendmsg on
 * the call's own socket) flavours. Completions come back as events, not through here.
 */
export interface ChannelControl {
  /** Queues `app arg` on the channel tagged `appUuid` (echoed as Application-UUID); resolves once FreeSWITCH accepted it. */
  /** `eventLock` false lets later messages run nested (the `socket` hand-off needs that). */
  sendExecute(app: string, arg: string, appUuid: string, eventLock?: boolean): Promise<unknown>;
  /** Stops the media playing now (`uuid_break`); best effort. */
  breakMedia(): Promise<void>;
  /** Hangs the channel up with a Q.850 cause name. */
  hangup(cause: string): Promise<void>;
}
