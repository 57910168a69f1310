import { randomUUID } from 'node:crypto';
import { type SqlBool, sql, type Transaction } from 'kysely';
import type { Campaign } from '../campaign/campaign-record.ts';
import { isWithinWindow, nextWindowOpen } from '../core/calling-window.ts';
import { resolveTimeZone } from '../core/contact-timezone.ts';
import { isAllowedDestination } from '../core/prefix-guard.ts';
import type { DialerDatabase, DialerDb } from '../db/dialer-schema.ts';

/** An attempt row written (committed) before its originate is sent. */
export interface ClaimedAttempt {
  attemptId: string;
  campaignId: string;
  contactId: string;
  attemptNo: number;
  phone: string;
  node: string;
  /** bgapi Job-UUID, chosen up front so the job can be found after a crash. */
  jobUuid: string;
  /** origination_uuid of the call, chosen up front for the same reason. */
  callUuid: string;
  /** The attempt row's started_at (ms): also the call-log leg's startedAt, part of its key. */
  startedAt: number;
}

/** What one claim pass did besides claiming. */
export interface ClaimResult {
  attempts: ClaimedAttempt[];
  dncSkipped: number;
  prefixRefused: number;
  /** Contacts outside their calling window, moved to their next opening. */
  deferred: number;
}

/** When a closed window has no opening within the horizon, look again after this long. */
const NO_WINDOW_RECHECK_MS = 6 * 3600_000;

/**
 * Claims due contacts for one campaign with `FOR UPDATE SKIP LOCKED`, so several dialer
 * processes never take the same contact. In the same transaction it re-checks DNC (dial
 * time, not only import), the prefix guard and the contact's calling window, logs every
 * skip, and writes the attempt row — UNIQUE(contact_id, attempt_no) makes a double dial
 * impossible even if two claims raced.
 */
export class ContactClaimer {
  constructor(
    private readonly db: DialerDb,
    private readonly dialerId: string,
  ) {}

  async claim(c: Campaign, limit: number, now: number, pickNode: () => string | null): Promise<ClaimResult> {
    const res: ClaimResult = { attempts: [], dncSkipped: 0, prefixRefused: 0, deferred: 0 };
    if (limit <= 0) return res;
    await this.db.transaction().execute(async (tx) => {
      // The concurrency cap holds across dialer processes: claims of one campaign take turns
      // (a short transaction each) and count the attempts still open everywhere.
      // Two statements on purpose: under READ COMMITTED the count's snapshot must be taken
      // after the lock is held, or it could miss the attempts of the claim we waited for.
      await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`sy:dialer:campaign:${c.id}`}, 0))`.execute(tx);
      const open = await tx
        .selectFrom('attempts')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('campaign_id', '=', c.id)
        .where('ended_at', 'is', null)
        .executeTakeFirstOrThrow();
      limit = Math.min(limit, c.maxConcurrent - Number(open.n));
      if (limit <= 0) return;
      const due = await this.selectDue(tx, c, limit, now);
      if (due.length === 0) return;
      const skips: SkipRow[] = [];
      const defer = new Map<number, string[]>(); // next opening → contact ids
      const dial: DueContact[] = [];
      for (const d of due) {
        if (d.dnc) skips.push({ campaign_id: c.id, contact_id: d.id, phone_e164: d.phone_e164, reason: 'dnc', detail: 'on DNC at dial time' });
        else if (!isAllowedDestination(d.phone_e164, c.allowedPrefixes)) {
          skips.push({ campaign_id: c.id, contact_id: d.id, phone_e164: d.phone_e164, reason: 'prefix', detail: `allowed: ${c.allowedPrefixes.join(' ')}` });
        } else if (c.windows.length > 0) {
          const { tz } = resolveTimeZone(d.timezone, d.phone_e164, c.defaultTimezone);
          if (isWithinWindow(now, tz, c.windows, c.holidays)) dial.push(d);
          else {
            const at = nextWindowOpen(now, tz, c.windows, c.holidays) ?? now + NO_WINDOW_RECHECK_MS;
            defer.set(at, [...(defer.get(at) ?? []), d.id]);
          }
        } else dial.push(d);
      }
      await this.writeSkips(tx, skips, res);
      for (const [at, ids] of defer) {
        await tx.updateTable('contacts').set({ next_attempt_at: new Date(at), updated_at: sql`now()` }).where('id', 'in', ids).execute();
        res.deferred += ids.length;
      }
      res.attempts = await this.writeAttempts(tx, c, dial, now, pickNode);
    });
    return res;
  }

  /** Due contacts, locked (others skip them), each with its DNC flag from the same snapshot. */
  private selectDue(tx: Transaction<DialerDatabase>, c: Campaign, limit: number, now: number): Promise<DueContact[]> {
    return tx
      .selectFrom('contacts as ct')
      .select(['ct.id', 'ct.phone_e164', 'ct.timezone', 'ct.attempts'])
      .select((eb) =>
        eb
          .exists(
            eb
              .selectFrom('dnc')
              .select(sql`1`.as('one'))
              .whereRef('dnc.phone_e164', '=', 'ct.phone_e164')
              .where((w) => w.or([w('dnc.campaign_id', 'is', null), w('dnc.campaign_id', '=', c.id)])),
          )
          .as('dnc'),
      )
      .where('ct.campaign_id', '=', c.id)
      .where('ct.state', 'in', ['pending', 'retry'])
      .where('ct.next_attempt_at', '<=', new Date(now))
      .orderBy('ct.priority', 'desc')
      .orderBy('ct.next_attempt_at')
      .orderBy('ct.id')
      .limit(limit)
      .forUpdate(['ct'])
      .skipLocked()
      .execute();
  }

  private async writeSkips(tx: Transaction<DialerDatabase>, skips: SkipRow[], res: ClaimResult): Promise<void> {
    if (skips.length === 0) return;
    await tx.insertInto('dialer_skips').values(skips).execute();
    for (const reason of ['dnc', 'prefix'] as const) {
      const ids = skips.filter((s) => s.reason === reason).map((s) => s.contact_id);
      if (ids.length === 0) continue;
      await tx
        .updateTable('contacts')
        .set({ state: reason === 'dnc' ? 'dnc' : 'refused', last_outcome: reason, updated_at: sql`now()` })
        .where('id', 'in', ids)
        .execute();
      if (reason === 'dnc') res.dncSkipped = ids.length;
      else res.prefixRefused = ids.length;
    }
  }

  /** Marks the contacts dialling and writes their attempt rows in one statement. */
  private async writeAttempts(
    tx: Transaction<DialerDatabase>,
    c: Campaign,
    dial: DueContact[],
    now: number,
    pickNode: () => string | null,
  ): Promise<ClaimedAttempt[]> {
    const rows: ClaimedAttempt[] = [];
    for (const d of dial) {
      const node = pickNode();
      if (node === null) break; // no capacity: the rest stay pending (locks drop at commit)
      rows.push({ attemptId: '', campaignId: c.id, contactId: d.id, attemptNo: d.attempts + 1, phone: d.phone_e164, node, jobUuid: randomUUID(), callUuid: randomUUID(), startedAt: now });
    }
    if (rows.length === 0) return rows;
    const ins = await tx
      .with('marked', (qb) =>
        qb
          .updateTable('contacts')
          .set({ state: 'dialling', attempts: sql`attempts + 1`, updated_at: sql`now()` })
          .where(
            'id',
            'in',
            rows.map((r) => r.contactId),
          )
          .returning('id'),
      )
      .insertInto('attempts')
      .values(
        rows.map((r) => ({
          campaign_id: c.id,
          contact_id: r.contactId,
          attempt_no: r.attemptNo,
          phone_e164: r.phone,
          node: r.node,
          job_uuid: r.jobUuid,
          call_uuid: r.callUuid,
          dialler_id: this.dialerId,
          started_at: new Date(now),
        })),
      )
      .returning(['id', 'contact_id'])
      .execute();
    const ids = new Map(ins.map((i) => [i.contact_id, i.id]));
    for (const r of rows) r.attemptId = ids.get(r.contactId)!;
    return rows;
  }
}

interface DueContact {
  id: string;
  phone_e164: string;
  timezone: string | null;
  attempts: number;
  dnc: SqlBool;
}
type SkipRow = { campaign_id: string; contact_id: string; phone_e164: string; reason: 'dnc' | 'prefix'; detail: string };
