import type { CampaignState } from '@switchyard/core';
import { sql, type Transaction } from 'kysely';
import { ABANDON_WINDOW_MS, abandonRatePct } from '../core/abandon-budget.ts';
import { type CampaignCommand, nextCampaignState } from '../core/campaign-state.ts';
import type { DialerDatabase, DialerDb } from '../db/dialer-schema.ts';
import { type CampaignInput, campaignInputSchema } from './campaign-input.ts';
import { type Campaign, campaignFromRow } from './campaign-record.ts';

export class CampaignNotFoundError extends Error {
  constructor(readonly id: string) {
    super(`campaign ${id} not found`);
    this.name = 'CampaignNotFoundError';
  }
}

/** Stored progress of one campaign (live rate/concurrency come from the runner). */
export interface CampaignCounts {
  state: CampaignState;
  pending: number;
  dialling: number;
  answered: number;
  busy: number;
  noAnswer: number;
  failed: number;
  machine: number;
  abandoned: number;
  unknown: number;
  dncSkipped: number;
  prefixRefused: number;
  exhausted: number;
  done: number;
  attempts: number;
  /** Abandoned / live answers over the rolling 30 days, percent. */
  abandonRatePct: number;
  abandonBudgetPct: number;
}

/**
 * Campaign model: create, read, and the audited state machine
 * (draft → running ⇄ paused → completed / stopped).
 *
 * @example
 * const svc = new CampaignService(db);
 * const c = await svc.create({ name: 'renewals', flowId: 'renewal', callerId: '+442071234567', gateway: 'gw1', allowedPrefixes: ['+44'] }, 'alice');
 * await svc.start(c.id, 'alice');
 */
export class CampaignService {
  constructor(private readonly db: DialerDb) {}

  /** Creates a draft campaign; the creation is audited. Throws ZodError on bad input. */
  async create(input: CampaignInput, actor: string): Promise<Campaign> {
    const s = campaignInputSchema.parse(input);
    return this.db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto('campaigns')
        .values({
          name: s.name,
          flow_id: s.flowId,
          caller_id: s.callerId,
          gateway: s.gateway,
          allowed_prefixes: s.allowedPrefixes,
          windows: JSON.stringify(s.windows),
          holidays: s.holidays,
          default_timezone: s.defaultTimezone,
          max_cps: s.maxCps,
          max_concurrent: s.maxConcurrent,
          retry_policy: JSON.stringify(s.retryPolicy),
          max_attempts: s.maxAttempts,
          priority: s.priority,
          abandon_budget_pct: s.abandonBudgetPct,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(tx, actor, 'campaign.create', row.id, null, { ...s, state: 'draft' });
      return campaignFromRow(row);
    });
  }

  /** One campaign; throws CampaignNotFoundError. */
  async get(id: string): Promise<Campaign> {
    const row = await this.db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new CampaignNotFoundError(id);
    return campaignFromRow(row);
  }

  /** Ids of campaigns in a state (the runner polls `running`). */
  async idsInState(state: CampaignState): Promise<string[]> {
    const rows = await this.db.selectFrom('campaigns').select('id').where('state', '=', state).execute();
    return rows.map((r) => r.id);
  }

  start(id: string, actor: string): Promise<Campaign> {
    return this.transition(id, 'start', actor);
  }
  pause(id: string, actor: string): Promise<Campaign> {
    return this.transition(id, 'pause', actor);
  }
  resume(id: string, actor: string): Promise<Campaign> {
    return this.transition(id, 'resume', actor);
  }
  /** Stops for good; with `hangupInFlight` the runners also end calls in progress. */
  stop(id: string, actor: string, opts: { hangupInFlight?: boolean } = {}): Promise<Campaign> {
    return this.transition(id, 'stop', actor, { stop_hangup: opts.hangupInFlight ?? false });
  }
  complete(id: string, actor: string): Promise<Campaign> {
    return this.transition(id, 'complete', actor);
  }

  /**
   * Applies a command under a row lock and writes the audit row in the same transaction.
   * Throws CampaignTransitionError for a move the state machine forbids.
   */
  async transition(
    id: string,
    command: CampaignCommand,
    actor: string,
    extra: { stop_hangup?: boolean } = {},
  ): Promise<Campaign> {
    return this.db.transaction().execute(async (tx) => {
      const cur = await tx.selectFrom('campaigns').select('state').where('id', '=', id).forUpdate().executeTakeFirst();
      if (!cur) throw new CampaignNotFoundError(id);
      const to = nextCampaignState(cur.state, command);
      const row = await tx
        .updateTable('campaigns')
        .set({ state: to, updated_at: sql`now()`, ...extra })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(tx, actor, `campaign.${command}`, id, { state: cur.state }, { state: to, ...extra });
      return campaignFromRow(row);
    });
  }

  /** Counts by contact state and attempt outcome, skips, and the rolling abandon rate. */
  async counts(id: string, now = Date.now()): Promise<CampaignCounts> {
    const c = await this.get(id);
    const [contacts, outcomes, skips, rolling] = await Promise.all([
      this.db.selectFrom('contacts').select(['state', sql<string>`count(*)`.as('n')]).where('campaign_id', '=', id).groupBy('state').execute(),
      this.db.selectFrom('attempts').select(['outcome', sql<string>`count(*)`.as('n')]).where('campaign_id', '=', id).groupBy('outcome').execute(),
      this.db.selectFrom('dialer_skips').select(['reason', sql<string>`count(*)`.as('n')]).where('campaign_id', '=', id).groupBy('reason').execute(),
      this.db
        .selectFrom('attempts')
        .select([
          sql<string>`count(*) FILTER (WHERE outcome IN ('answered','abandoned'))`.as('live'),
          sql<string>`count(*) FILTER (WHERE outcome = 'abandoned')`.as('abandoned'),
        ])
        .where('campaign_id', '=', id)
        .where('ended_at', '>', new Date(now - ABANDON_WINDOW_MS))
        .executeTakeFirstOrThrow(),
    ]);
    const byState = new Map(contacts.map((r) => [r.state as string, Number(r.n)]));
    const byOutcome = new Map(outcomes.map((r) => [r.outcome ?? 'open', Number(r.n)]));
    const bySkip = new Map(skips.map((r) => [r.reason as string, Number(r.n)]));
    const n = (m: Map<string, number>, k: string) => m.get(k) ?? 0;
    return {
      state: c.state,
      pending: n(byState, 'pending') + n(byState, 'retry'),
      dialling: n(byState, 'dialling'),
      answered: n(byOutcome, 'answered'),
      busy: n(byOutcome, 'busy'),
      noAnswer: n(byOutcome, 'no_answer'),
      failed: n(byOutcome, 'failed'),
      machine: n(byOutcome, 'machine'),
      abandoned: n(byOutcome, 'abandoned'),
      unknown: n(byOutcome, 'unknown'),
      dncSkipped: n(bySkip, 'dnc'),
      prefixRefused: n(bySkip, 'prefix'),
      exhausted: n(byState, 'exhausted'),
      done: n(byState, 'done') + n(byState, 'answered'),
      attempts: [...byOutcome.values()].reduce((a, b) => a + b, 0),
      abandonRatePct: abandonRatePct(Number(rolling.live), Number(rolling.abandoned)),
      abandonBudgetPct: c.abandonBudgetPct,
    };
  }
}

/** One audit row (same transaction as the change it records). */
export async function audit(
  tx: Transaction<DialerDatabase>,
  actor: string,
  action: string,
  entityId: string,
  before: object | null,
  after: object | null,
): Promise<void> {
  await tx
    .insertInto('audit_log')
    .values({
      actor,
      action,
      entity: 'campaign',
      entity_id: entityId,
      before: before === null ? null : JSON.stringify(before),
      after: after === null ? null : JSON.stringify(after),
    })
    .execute();
}
