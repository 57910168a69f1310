import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Campaign } from '../campaign/campaign-record.ts';
import { isWithinWindow, nextWindowOpen } from '../core/calling-window.ts';
import { resolveTimeZone } from '../core/contact-timezone.ts';
import { isAllowedDestination } from '../core/prefix-guard.ts';
import type { DialerDb } from '../db/dialer-schema.ts';

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
      const due = await tx
        .selectFrom('contacts')
        .select(['id', 'phone_e164', 'timezone', 'attempts'])
        .where('campaign_id', '=', c.id)
        .where('state', 'in', ['pending', 'retry'])
        .where('next_attempt_at', '<=', new Date(now))
        .orderBy('priority', 'desc')
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute();
      if (due.length === 0) return;
      const dnc = await tx
        .selectFrom('dnc')
        .select('phone_e164')
        .where(
          'phone_e164',
          'in',
          due.map((d) => d.phone_e164),
        )
        .where((eb) => eb.or([eb('campaign_id', 'is', null), eb('campaign_id', '=', c.id)]))
        .execute();
      const listed = new Set(dnc.map((d) => d.phone_e164));
      const skips: { contact_id: string; phone_e164: string; reason: 'dnc' | 'prefix'; detail: string; campaign_id: string }[] = [];
      const defer = new Map<number, string[]>(); // next opening → contact ids
      const dial: typeof due = [];
      for (const d of due) {
        if (listed.has(d.phone_e164)) {
          skips.push({ campaign_id: c.id, contact_id: d.id, phone_e164: d.phone_e164, reason: 'dnc', detail: 'on DNC at dial time' });
        } else if (!isAllowedDestination(d.phone_e164, c.allowedPrefixes)) {
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
      if (skips.length > 0) {
        await tx.insertInto('dialer_skips').values(skips).execute();
        for (const reason of ['dnc', 'prefix'] as const) {
          const ids = skips.filter((s) => s.reason === reason).map((s) => s.contact_id);
          if (ids.length === 0) continue;
          await tx
            .updateTable('contacts')
            .set({ state: reason === 'dnc' ? 'dnc' : 'refused', last_outcome: reason, updated_at: sql`now()` })
            .where('id', 'in', ids)
            .execute();
        }
        res.dncSkipped = skips.filter((s) => s.reason === 'dnc').length;
        res.prefixRefused = skips.length - res.dncSkipped;
      }
      for (const [at, ids] of defer) {
        await tx.updateTable('contacts').set({ next_attempt_at: new Date(at), updated_at: sql`now()` }).where('id', 'in', ids).execute();
        res.deferred += ids.length;
      }
      const rows: ClaimedAttempt[] = [];
      for (const d of dial) {
        const node = pickNode();
        if (node === null) break; // no capacity: the rest stay pending (locks drop at commit)
        rows.push({
          attemptId: '',
          campaignId: c.id,
          contactId: d.id,
          attemptNo: d.attempts + 1,
          phone: d.phone_e164,
          node,
          jobUuid: randomUUID(),
          callUuid: randomUUID(),
        });
      }
      if (rows.length === 0) return;
      await tx
        .updateTable('contacts')
        .set({ state: 'dialling', attempts: sql`attempts + 1`, updated_at: sql`now()` })
        .where(
          'id',
          'in',
          rows.map((r) => r.contactId),
        )
        .execute();
      const ins = await tx
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
      res.attempts = rows;
    });
    return res;
  }
}
