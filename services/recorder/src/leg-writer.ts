import { LEG_COLUMN_PG_TYPES as PG_TYPE, LEG_COLUMNS, type LegRow, type StepRow } from '@switchyard/calllog';
import type { Database } from '@switchyard/core';
import { CompiledQuery, type Kysely } from 'kysely';

const HANGUP_COLUMNS = [
  'ended_at',
  'hangup_cause',
  'sip_code',
  'disposition',
  'ring_ms',
  'talk_ms',
  'total_ms',
  'pdd_ms',
  'mos',
  'jitter_ms',
  'packet_loss_pct',
] as const;
const CREATED_COLUMNS = [
  'caller',
  'callee',
  'did',
  'campaign_id',
  'contact_id',
  'attempt_id',
  'node',
  'engine_id',
  'flow_id',
  'flow_version',
  'parent_leg_id',
  'trunk',
  'transferred_to',
] as const;

/**
 * How a row from this batch merges into the row already stored, whatever order events
 * arrive in: facts a leg has once are kept (COALESCE), the earliest answer wins, the
 * hang-up is authoritative for its columns (and overrides a reconciler's `lost`), IVR
 * progress only moves forward. Writing the same batch twice changes nothing.
 */
const MERGE = [
  ...CREATED_COLUMNS.map((c) => `${c} = COALESCE(EXCLUDED.${c}, call_legs.${c})`),
  'answered_at = LEAST(call_legs.answered_at, EXCLUDED.answered_at)',
  ...['bridged_at', 'bridged_to'].map(
    (c) =>
      `${c} = CASE WHEN call_legs.bridged_at IS NULL OR EXCLUDED.bridged_at < call_legs.bridged_at THEN COALESCE(EXCLUDED.${c}, call_legs.${c}) ELSE call_legs.${c} END`,
  ),
  ...HANGUP_COLUMNS.map((c) => `${c} = CASE WHEN EXCLUDED.hangup_cause IS NOT NULL THEN EXCLUDED.${c} ELSE call_legs.${c} END`),
  'lost_reason = CASE WHEN EXCLUDED.hangup_cause IS NOT NULL THEN NULL ELSE call_legs.lost_reason END',
  ...['ivr_last_state', 'ivr_last_step'].map(
    (c) =>
      `${c} = CASE WHEN EXCLUDED.ivr_last_step > COALESCE(call_legs.ivr_last_step, -1) THEN EXCLUDED.${c} ELSE call_legs.${c} END`,
  ),
  'updated_at = now()',
].join(',\n  ');

const LEG_UPSERT = `INSERT INTO call_legs (${LEG_COLUMNS.join(', ')})
SELECT * FROM unnest(${LEG_COLUMNS.map((c, i) => `$${i + 1}::${PG_TYPE[c]}[]`).join(', ')})
ON CONFLICT (leg_id, started_at) DO UPDATE SET
  ${MERGE}`;

const STEP_INSERT = `INSERT INTO ivr_steps (leg_id, seq, at, flow_id, flow_version, state, kind, detail)
SELECT l, s, a, f, v, st, k, d::jsonb FROM unnest($1::uuid[], $2::int4[], $3::timestamptz[], $4::text[], $5::int4[], $6::text[], $7::text[], $8::text[])
  AS t(l, s, a, f, v, st, k, d)
ON CONFLICT (leg_id, seq) DO NOTHING`;

const SINGLE_UPSERT = `INSERT INTO call_legs (${LEG_COLUMNS.join(', ')})
VALUES (${LEG_COLUMNS.map((c, i) => `$${i + 1}::${PG_TYPE[c]}`).join(', ')})
ON CONFLICT (leg_id, started_at) DO UPDATE SET
  ${MERGE}`;

function columnArrays(legs: readonly LegRow[]): unknown[][] {
  const arrays: unknown[][] = LEG_COLUMNS.map(() => new Array(legs.length));
  for (let r = 0; r < legs.length; r++) {
    const leg = legs[r]!;
    for (let c = 0; c < LEG_COLUMNS.length; c++) arrays[c]![r] = leg[LEG_COLUMNS[c]!];
  }
  return arrays;
}

/**
 * Writes folded call-log rows: one multi-row upsert per table (unnest of column arrays,
 * so a batch is two statements whatever its size) in one transaction.
 *
 * @example
 * await new LegWriter(db).write(foldEvents(events));
 */
export class LegWriter {
  constructor(private readonly db: Kysely<Database>) {}

  async write({ legs, steps: stepRows }: { legs: readonly LegRow[]; steps: readonly StepRow[] }): Promise<void> {
    if (legs.length === 0 && stepRows.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      // Same lock order in every transaction (legs sorted by key) so concurrent recorders never deadlock.
      const sorted = [...legs].sort((a, b) => (a.leg_id < b.leg_id ? -1 : a.leg_id > b.leg_id ? 1 : 0));
      if (sorted.length > 0) await trx.executeQuery(CompiledQuery.raw(LEG_UPSERT, columnArrays(sorted)));
      if (stepRows.length > 0) {
        const steps = [...stepRows].sort((a, b) => (a.leg_id < b.leg_id ? -1 : a.leg_id > b.leg_id ? 1 : a.seq - b.seq));
        await trx.executeQuery(
          CompiledQuery.raw(STEP_INSERT, [
            steps.map((s) => s.leg_id),
            steps.map((s) => s.seq),
            steps.map((s) => s.at),
            steps.map((s) => s.flow_id),
            steps.map((s) => s.flow_version),
            steps.map((s) => s.state),
            steps.map((s) => s.kind),
            steps.map((s) => s.detail),
          ]),
        );
      }
    });
  }

  /** One INSERT per leg, no batching: the bench's peer figure. */
  async writeOne(leg: LegRow): Promise<void> {
    await this.db.executeQuery(CompiledQuery.raw(SINGLE_UPSERT, LEG_COLUMNS.map((c) => leg[c])));
  }
}
