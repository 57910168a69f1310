import type { CallLogEvent } from '../event/call-log-event-schema.ts';
import { type HangupColumns, hangupColumns } from './disposition.ts';

/** One call_legs row as the recorder upserts it; null means "this batch doesn't know". */
export interface LegRow {
  leg_id: string;
  started_at: Date;
  direction: 'inbound' | 'outbound' | 'transfer';
  caller: string | null;
  callee: string | null;
  did: string | null;
  campaign_id: string | null;
  contact_id: string | null;
  attempt_id: string | null;
  node: string | null;
  engine_id: string | null;
  flow_id: string | null;
  flow_version: number | null;
  parent_leg_id: string | null;
  trunk: string | null;
  answered_at: Date | null;
  bridged_at: Date | null;
  bridged_to: string | null;
  transferred_to: string | null;
  ended_at: Date | null;
  hangup_cause: string | null;
  sip_code: number | null;
  disposition: string | null;
  ring_ms: number | null;
  talk_ms: number | null;
  total_ms: number | null;
  pdd_ms: number | null;
  mos: number | null;
  jitter_ms: number | null;
  packet_loss_pct: number | null;
  ivr_last_state: string | null;
  ivr_last_step: number | null;
}

/** One ivr_steps row. */
export interface StepRow {
  leg_id: string;
  seq: number;
  at: Date;
  flow_id: string | null;
  flow_version: number | null;
  state: string;
  kind: string;
  detail: string;
}

/** Each call_legs column the recorder writes, with its Postgres type, in write order. */
export const LEG_COLUMN_PG_TYPES: Record<keyof LegRow, string> = {
  leg_id: 'uuid',
  started_at: 'timestamptz',
  direction: 'text',
  caller: 'text',
  callee: 'text',
  did: 'text',
  campaign_id: 'int8',
  contact_id: 'int8',
  attempt_id: 'int8',
  node: 'text',
  engine_id: 'text',
  flow_id: 'text',
  flow_version: 'int4',
  parent_leg_id: 'uuid',
  trunk: 'text',
  answered_at: 'timestamptz',
  bridged_at: 'timestamptz',
  bridged_to: 'text',
  transferred_to: 'text',
  ended_at: 'timestamptz',
  hangup_cause: 'text',
  sip_code: 'int4',
  disposition: 'text',
  ring_ms: 'int4',
  talk_ms: 'int4',
  total_ms: 'int4',
  pdd_ms: 'int4',
  mos: 'numeric',
  jitter_ms: 'numeric',
  packet_loss_pct: 'numeric',
  ivr_last_state: 'text',
  ivr_last_step: 'int4',
};

/** The column order the recorder writes (LegRow's keys). */
export const LEG_COLUMNS = Object.keys(LEG_COLUMN_PG_TYPES) as (keyof LegRow)[];

const NULL_ROW = Object.fromEntries(LEG_COLUMNS.map((c) => [c, null])) as unknown as LegRow;

function emptyRow(e: CallLogEvent): LegRow {
  return { ...NULL_ROW, leg_id: e.legId, started_at: e.startedAt, direction: e.direction };
}

const earlier = (a: Date | null, b: Date) => (a === null || b < a ? b : a);

function applyHangup(row: LegRow, h: HangupColumns): void {
  const known = row.answered_at;
  Object.assign(row, h);
  if (known !== null) row.answered_at = h.answered_at === null ? known : earlier(known, h.answered_at);
}

/** Applies one event to a row; commutative for everything a leg can only have once. */
function apply(row: LegRow, e: CallLogEvent, steps: StepRow[]): void {
  switch (e.type) {
    case 'leg.created':
      row.caller = e.caller ?? null;
      row.callee = e.callee ?? null;
      row.did = e.did ?? null;
      row.campaign_id = e.campaignId;
      row.contact_id = e.contactId;
      row.attempt_id = e.attemptId;
      row.node = e.node ?? null;
      row.engine_id = e.engineId ?? null;
      row.flow_id = e.flowId ?? row.flow_id;
      row.flow_version = e.flowVersion ?? row.flow_version;
      row.parent_leg_id = e.parentLegId ?? null;
      row.trunk = e.trunk ?? null;
      return;
    case 'leg.answered':
      row.answered_at = earlier(row.answered_at, e.at);
      return;
    case 'leg.bridged':
      if (row.bridged_at === null || e.at < row.bridged_at) {
        row.bridged_at = e.at;
        row.bridged_to = e.bridgedTo;
      }
      return;
    case 'leg.transferred':
      row.transferred_to = e.transferredTo;
      return;
    case 'leg.hungup':
      applyHangup(row, hangupColumns(e));
      return;
    case 'ivr.step':
      if (row.ivr_last_step === null || e.step > row.ivr_last_step) {
        row.ivr_last_step = e.step;
        row.ivr_last_state = e.state;
      }
      steps.push({
        leg_id: e.legId,
        seq: e.step,
        at: e.at,
        flow_id: e.flowId ?? null,
        flow_version: e.flowVersion ?? null,
        state: e.state,
        kind: e.kind,
        detail: JSON.stringify(e.detail ?? {}),
      });
      return;
  }
}

/**
 * Folds a batch of events (any order, duplicates allowed) into one row per leg and the
 * IVR steps, so one multi-row upsert never touches the same row twice.
 *
 * @example
 * const { legs, steps } = foldEvents(events);
 */
export function foldEvents(events: Iterable<CallLogEvent>): { legs: LegRow[]; steps: StepRow[] } {
  const rows = new Map<string, LegRow>();
  const steps: StepRow[] = [];
  const seenSteps = new Set<string>();
  for (const e of events) {
    const key = `${e.legId}|${e.startedAt.getTime()}`;
    let row = rows.get(key);
    if (!row) {
      row = emptyRow(e);
      rows.set(key, row);
    }
    if (e.type === 'ivr.step') {
      const sk = `${e.legId}|${e.step}`;
      if (seenSteps.has(sk)) continue;
      seenSteps.add(sk);
    }
    apply(row, e, steps);
  }
  return { legs: [...rows.values()], steps };
}
