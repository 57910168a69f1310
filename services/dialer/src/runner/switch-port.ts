/**
 * The narrow slice of a FreeSWITCH node the dialer needs, over inbound ESL. The adapter
 * (esl-switch.ts) builds it on the ESL client; tests may use a stand-in.
 */
export interface SwitchPort {
  /**
   * Sends `bgapi <command>` with header `Job-UUID: jobUuid` to `node`. Resolves once the
   * node accepted it (`+OK Job-UUID`); rejects with {@link NotSentError} when it surely was
   * not sent (no connection), with any other error when the outcome is in doubt.
   */
  bgapi(node: string, jobUuid: string, command: string): Promise<void>;
  /** `api uuid_exists <uuid>` on `node`. Rejects when the node cannot be asked. */
  channelExists(node: string, uuid: string): Promise<boolean>;
  /** `api uuid_kill <uuid> <cause>`; a channel already gone is not an error. */
  hangup(node: string, uuid: string, cause: string): Promise<void>;
  /** Subscribes to the events the dialer tracks; returns an unsubscribe. */
  onEvent(listener: (e: SwitchEvent) => void): () => void;
}

/** What the dialer hears back: job results, answers and hang-ups. */
export type SwitchEvent =
  | { type: 'job'; node: string; jobUuid: string; body: string }
  | { type: 'answer'; node: string; callUuid: string; machine: boolean }
  | { type: 'hangup'; node: string; callUuid: string; cause: string; answeredAt: number | null };

/** The command was certainly not sent (nothing to resolve later). */
export class NotSentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotSentError';
  }
}

/** Ready FreeSWITCH nodes to dial through (fleet's `nodes` table, state = active). */
export interface NodeSource {
  activeNodes(): Promise<{ name: string; weight: number }[]>;
}

/** Hands an answered call to the engine to run the campaign's flow. Resolves once connected. */
export type AnsweredPort = (call: AnsweredCall) => Promise<void>;
export interface AnsweredCall {
  node: string;
  callUuid: string;
  campaignId: string;
  contactId: string;
  attemptId: string;
  flowId: string;
  phone: string;
}

/** Where each attempt is reported to the call log (never awaited on the hot path). */
export interface AttemptLogPort {
  attemptStarted(a: AttemptLogFacts): void;
  attemptEnded(a: AttemptLogFacts & { outcome: string; cause: string; answeredAt: number | null }): void;
  /** Resolves once what was logged so far is durable (Redis or the spool); a crash after it loses nothing. */
  flush?(): Promise<void>;
}
/** What the call log learns about an attempt's leg. */
export interface AttemptLogFacts {
  attemptId: string;
  campaignId: string;
  contactId: string;
  callUuid: string;
  node: string;
  phone: string;
  callerId: string;
  trunk: string;
  flowId: string;
  /** When the attempt (leg) started, ms. */
  startedAt: number;
  /** When this fact happened, ms. */
  at: number;
}
