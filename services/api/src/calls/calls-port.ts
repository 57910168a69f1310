/** Filter every call query takes: a required `[from, to)` range plus optional fields. */
export interface CallQuery {
  from: string;
  to: string;
  caller?: string;
  callee?: string;
  campaignId?: string;
  node?: string;
  trunk?: string;
  direction?: 'inbound' | 'outbound' | 'transfer';
  disposition?: string;
  hangupCause?: string;
  ivrState?: string;
}

/** One live call-log event for the tail stream. */
export interface CallEventView {
  id: string;
  event: Record<string, unknown>;
}

/**
 * Call analytics behind the API (implemented over `@switchyard/calllog`). Rows may carry
 * Date values; the controller turns them into ISO strings.
 */
export interface CallsPort {
  search(q: CallQuery, page: { limit: number; cursor?: string }): Promise<{ items: object[]; next: string | null }>;
  timeline(legId: string): Promise<{ legs: object[]; entries: object[] } | null>;
  kpis(q: CallQuery & { interval: '5min' | 'hour' | 'day'; by?: 'node' | 'trunk' }): Promise<object[]>;
  funnel(q: CallQuery, flowId?: string): Promise<object[]>;
  exportCsv(q: CallQuery): AsyncIterable<string>;
  /** Live call-log events from now on, until `signal` aborts. */
  tail(signal: AbortSignal): AsyncIterable<CallEventView>;
}
