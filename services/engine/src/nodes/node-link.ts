import type { EslEvent } from '../esl/esl-event.ts';

/** A FreeSWITCH node as the fleet table describes it. */
export interface NodeSpec {
  readonly name: string;
  readonly eslHost: string;
  readonly eslPort: number;
  readonly state: 'registered' | 'probing' | 'active' | 'draining' | 'removed';
}

/** Callbacks a link reports to (set once by the node manager). */
export interface NodeLinkHandlers {
  onEvent(node: string, ev: EslEvent): void;
  /** Connected, authenticated and subscribed (first time or after a reconnect). */
  onUp(node: string, reconnect: boolean): void;
  onDown(node: string, err: Error | undefined): void;
}

/**
 * The engine's one inbound ESL connection to a node: commands with timeouts, events
 * pushed to the handlers, reconnection with jittered capped backoff inside.
 */
export interface NodeLink {
  readonly node: string;
  readonly up: boolean;
  /** Commands awaiting a reply. */
  readonly inFlight: number;
  /** Epoch ms of the last event (any), 0 if none yet. */
  readonly lastEventAt: number;
  readonly reconnects: number;
  start(): void;
  /** Stops reconnecting and closes the socket. */
  close(): Promise<void>;
  /** `api <cmd>`; rejects on timeout or disconnect. */
  api(cmd: string): Promise<string>;
  /** `sendmsg <uuid>` execute tagged with `appUuid`; resolves on `+OK` (queued), with nothing to read. */
  sendExecute(uuid: string, app: string, arg: string, appUuid: string, eventLock?: boolean): Promise<unknown>;
  /** `sendmsg <uuid>` hangup. */
  hangup(uuid: string, cause: string): Promise<void>;
}

/** Builds a link for a node (real ESL in production, the same in tests against fs-sim). */
export type NodeLinkFactory = (spec: NodeSpec, handlers: NodeLinkHandlers) => NodeLink;
