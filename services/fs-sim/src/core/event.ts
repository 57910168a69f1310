/** One header of an event; order matters and names may repeat (FreeSWITCH does that). */
export type Header = [name: string, value: string];

/** An event as the simulator's bus carries it, before it is serialised for a connection. */
export interface FsEvent {
  readonly name: string;
  /** All headers in wire order (built lazily for segmented events). */
  readonly headers: Header[];
  /** Pre-encoded header runs (channel events); serialisers use these when present. */
  readonly segments?: readonly import('./event-segment.ts').Segment[];
  /** Body (BACKGROUND_JOB output, log text); serialised with an inner Content-Length. */
  readonly body?: string;
  /** Unique-ID of the channel the event concerns (myevents filtering), if any. */
  readonly channelUuid?: string;
  /** Session that owns a BACKGROUND_JOB (myevents delivers those too). */
  readonly jobOwner?: string;
  /** Subclass for CUSTOM events. */
  readonly subclass?: string;
  /** Serialised frames, filled by the first connection that needs each format (shared by the rest). */
  encoded?: { plain?: Buffer | string; json?: Buffer | string };
}

/** Value of the first header with that name (case-sensitive, as FreeSWITCH stores them). */
export function headerValue(ev: FsEvent, name: string): string | undefined {
  for (const [k, v] of ev.headers) if (k === name) return v;
  return undefined;
}
