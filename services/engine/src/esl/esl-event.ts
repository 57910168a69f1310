/**
 * The engine's view of one FreeSWITCH event, whichever socket it came from: the subset
 * of `@switchyard/esl`'s EslEvent it reads (values already decoded), so tests and
 * `show channels` rows can stand in for it.
 */
export interface EslEvent {
  /** `Event-Name`, e.g. `CHANNEL_EXECUTE_COMPLETE`. */
  readonly name: string;
  /** `Unique-ID` of the channel, when the event is about one. */
  readonly uniqueId: string | undefined;
  /** One header's decoded value. */
  get(name: string): string | undefined;
}

/**
 * Events the engine subscribes to on an inbound connection: only what it reads.
 * CHANNEL_HANGUP is left out: HANGUP_COMPLETE follows it at once with the billing and
 * RTP variables, and every channel event costs a full variable dump on the wire.
 */
export const ENGINE_EVENTS = [
  'CHANNEL_PARK',
  'CHANNEL_ANSWER',
  'CHANNEL_EXECUTE_COMPLETE',
  'CHANNEL_HANGUP_COMPLETE',
  'DTMF',
  'BACKGROUND_JOB',
  'HEARTBEAT',
] as const;

/** An EslEvent over a plain header record (tests, JSON events, `show channels` rows). */
export function eventFromRecord(h: Readonly<Record<string, string | undefined>>): EslEvent {
  return {
    name: h['Event-Name'] ?? '',
    uniqueId: h['Unique-ID'],
    get: (n) => h[n],
  };
}
