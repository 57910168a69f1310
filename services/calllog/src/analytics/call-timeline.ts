import type { Database } from '@switchyard/core';
import type { Kysely } from 'kysely';
import { AnalyticsInputError } from './call-filter.ts';
import type { CallRow } from './list-calls.ts';

/** One moment in a call's life. */
export interface TimelineEntry {
  at: Date;
  legId: string;
  kind: 'created' | 'answered' | 'ivr' | 'bridged' | 'transferred' | 'hungup' | 'lost';
  detail: Record<string, unknown>;
}

/** A call: its legs (the one asked for plus legs it spawned) and their merged timeline. */
export interface CallTimeline {
  legs: CallRow[];
  entries: TimelineEntry[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function legEntries(l: CallRow): TimelineEntry[] {
  const out: TimelineEntry[] = [
    { at: l.started_at, legId: l.leg_id, kind: 'created', detail: { direction: l.direction, caller: l.caller, callee: l.callee, node: l.node } },
  ];
  if (l.answered_at) out.push({ at: l.answered_at, legId: l.leg_id, kind: 'answered', detail: {} });
  if (l.bridged_at) out.push({ at: l.bridged_at, legId: l.leg_id, kind: 'bridged', detail: { to: l.bridged_to } });
  if (l.transferred_to) {
    out.push({ at: l.bridged_at ?? l.answered_at ?? l.started_at, legId: l.leg_id, kind: 'transferred', detail: { to: l.transferred_to } });
  }
  if (l.ended_at) {
    const lost = l.disposition === 'lost';
    out.push({
      at: l.ended_at,
      legId: l.leg_id,
      kind: lost ? 'lost' : 'hungup',
      detail: lost
        ? { reason: l.lost_reason }
        : { cause: l.hangup_cause, sipCode: l.sip_code, disposition: l.disposition, talkMs: l.talk_ms },
    });
  }
  return out;
}

/**
 * Everything known about one call, in time order; null when the leg is unknown.
 *
 * @example
 * const t = await callTimeline(db, '6f1c...'); t?.entries.map((e) => e.kind);
 */
export async function callTimeline(db: Kysely<Database>, legId: string): Promise<CallTimeline | null> {
  if (!UUID.test(legId)) throw new AnalyticsInputError('leg id must be a UUID');
  const legs = await db
    .selectFrom('call_legs')
    .selectAll()
    .where((eb) => eb.or([eb('leg_id', '=', legId), eb('parent_leg_id', '=', legId)]))
    .orderBy('started_at')
    .execute();
  if (!legs.some((l) => l.leg_id === legId)) return null;
  const steps = await db
    .selectFrom('ivr_steps')
    .selectAll()
    .where('leg_id', 'in', legs.map((l) => l.leg_id))
    .orderBy('at')
    .orderBy('seq')
    .execute();
  const entries = legs.flatMap(legEntries);
  for (const s of steps) {
    entries.push({ at: s.at, legId: s.leg_id, kind: 'ivr', detail: { seq: s.seq, state: s.state, kind: s.kind, ...(s.detail as object) } });
  }
  // Stable: equal timestamps keep creation → ivr → end order.
  entries.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { legs, entries };
}
