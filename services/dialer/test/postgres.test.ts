import { Readable } from 'node:stream';
import { createTestDatabase, type TestDatabase } from '@switchyard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignService } from '../src/campaign/campaign-service.ts';
import { AttemptRecorder } from '../src/claims/attempt-recorder.ts';
import { ContactClaimer } from '../src/claims/contact-claimer.ts';
import { ContactImporter } from '../src/contacts/contact-importer.ts';
import { importErrorReport, importStatus } from '../src/contacts/import-report.ts';
import { asDialerDb, type DialerDb } from '../src/db/dialer-schema.ts';
import { DncService } from '../src/dnc/dnc-service.ts';
import { makeCampaign, seedContacts, ukNumbers } from './helpers.ts';

let t: TestDatabase;
let db: DialerDb;
beforeAll(async () => {
  t = await createTestDatabase();
  db = asDialerDb(t.db);
});
afterAll(async () => t?.drop());

describe('campaign model', () => {
  it('walks the state machine and audits every change', async () => {
    const svc = new CampaignService(db);
    const c = await makeCampaign(t);
    expect(c.state).toBe('draft');
    await expect(svc.resume(c.id, 'bob')).rejects.toThrow(/cannot resume a campaign that is draft/);
    await svc.start(c.id, 'bob');
    await svc.pause(c.id, 'bob');
    await svc.resume(c.id, 'bob');
    const s = await svc.stop(c.id, 'bob', { hangupInFlight: true });
    expect(s).toMatchObject({ state: 'stopped', stopHangup: true });
    await expect(svc.start(c.id, 'bob')).rejects.toThrow(/cannot start/);
    const log = await db.selectFrom('audit_log').select(['action', 'actor', 'before', 'after']).where('entity_id', '=', c.id).orderBy('id').execute();
    expect(log.map((l) => l.action)).toEqual(['campaign.create', 'campaign.start', 'campaign.pause', 'campaign.resume', 'campaign.stop']);
    expect(log[1]).toMatchObject({ actor: 'bob', before: { state: 'draft' }, after: { state: 'running' } });
  });
  it('refuses bad input with a clear message', async () => {
    await expect(makeCampaign(t, { allowedPrefixes: [] })).rejects.toThrow(/toll-fraud/);
    await expect(makeCampaign(t, { defaultTimezone: 'Mars/Base' })).rejects.toThrow(/unknown time zone/);
    await expect(makeCampaign(t, { windows: [{ days: [1], start: '18:00', end: '09:00' }] })).rejects.toThrow(/start must be before end/);
  });
});

describe('contact import', () => {
  it('streams 100,000 rows, keeps valid rows and reports the bad ones', async () => {
    const c = await makeCampaign(t);
    const N = 100_000;
    async function* csv() {
      yield 'phone,name,timezone,account\n';
      for (let i = 0; i < N; i += 1000) {
        let s = '';
        for (let j = i; j < i + 1000; j++) {
          if (j === 10) s += 'not-a-number,x,,\n';
          else if (j === 11) s += `07911 ${String(j).padStart(6, '0')},dup,,\n`; // national format → same as row 12's
          else if (j === 20) s += `+447911000020,y,Mars/Base,\n`;
          else s += `+447911${String(j).padStart(6, '0')},"N, ${j}",,acct${j}\n`;
        }
        yield Buffer.from(s);
      }
      yield '+447911000099,again,,\n'; // duplicate of an earlier row, in a later batch
    }
    const before = process.memoryUsage().heapUsed;
    const sum = await new ContactImporter(db).import(c.id, Readable.from(csv()), { defaultCountry: 'GB' });
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(100 * 1024 * 1024);
    expect(sum.totalRows).toBe(N + 1);
    expect(sum.failed).toBe(3);
    expect(sum.imported).toBe(N - 2);
    const n = await db.selectFrom('contacts').select((eb) => eb.fn.countAll().as('n')).where('campaign_id', '=', c.id).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(N - 2);
    const row = await db.selectFrom('contacts').select(['name', 'data']).where('phone_e164', '=', '+447911000005').executeTakeFirstOrThrow();
    expect(row).toEqual({ name: 'N, 5', data: { account: 'acct5' } });
    const report: string[] = [];
    for await (const l of importErrorReport(db, sum.importId, 2)) report.push(l);
    expect(report).toEqual([
      'row,phone,reason,detail\n',
      '11,not-a-number,bad_number,not a valid number\n',
      '21,+447911000020,unknown_timezone,Mars/Base\n',
      '100001,+447911000099,duplicate,already in the campaign\n',
    ]);
    expect(await importStatus(db, sum.importId)).toMatchObject({ status: 'done', imported: N - 2, failed: 3 });
  });
  it('reports a duplicate inside one batch and rejects a file without a phone column', async () => {
    const c = await makeCampaign(t);
    const sum = await new ContactImporter(db).import(c.id, ['phone\n+442079460018\n', '020 7946 0018\n'], { defaultCountry: 'GB' });
    expect(sum).toMatchObject({ totalRows: 2, imported: 1, failed: 1 });
    const rep: string[] = [];
    for await (const l of importErrorReport(db, sum.importId)) rep.push(l);
    expect(rep[1]).toBe('2,020 7946 0018,duplicate,repeats row 1\n');
    await expect(new ContactImporter(db).import(c.id, ['name,x\na,b\n'])).rejects.toThrow(/phone column/);
  });
});

describe('claims, DNC and the prefix guard', () => {
  it('two claimers racing never take the same contact', async () => {
    const c = await makeCampaign(t, { maxConcurrent: 1000 });
    await seedContacts(t, c.id, ukNumbers(600));
    const a = new ContactClaimer(db, 'A');
    const b = new ContactClaimer(db, 'B');
    const seen: string[] = [];
    const run = async (cl: ContactClaimer) => {
      for (;;) {
        const r = await cl.claim(c, 25, Date.now(), () => 'node1');
        if (r.attempts.length === 0) return;
        seen.push(...r.attempts.map((x) => x.contactId));
      }
    };
    await Promise.all([run(a), run(b), run(a), run(b)]);
    expect(seen.length).toBe(600);
    expect(new Set(seen).size).toBe(600);
    const open = await db.selectFrom('attempts').select(['dialler_id']).where('campaign_id', '=', c.id).execute();
    expect(open.length).toBe(600);
    expect(new Set(open.map((o) => o.dialler_id))).toEqual(new Set(['A', 'B']));
  });

  it('holds the concurrency cap across claimers (attempts still open count, wherever they are)', async () => {
    const c = await makeCampaign(t, { maxConcurrent: 7 });
    await seedContacts(t, c.id, ukNumbers(30, 1000));
    const [a, b] = await Promise.all([
      new ContactClaimer(db, 'A').claim(c, 5, Date.now(), () => 'n'),
      new ContactClaimer(db, 'B').claim(c, 5, Date.now(), () => 'n'),
    ]);
    expect(a!.attempts.length + b!.attempts.length).toBe(7);
    const first = a!.attempts[0] ?? b!.attempts[0];
    await new AttemptRecorder(db).finish(c, first!.attemptId, 1, { outcome: 'answered', cause: 'NORMAL_CLEARING', endedAt: Date.now() });
    expect((await new ContactClaimer(db, 'A').claim(c, 5, Date.now(), () => 'n')).attempts.length).toBe(1);
  });

  it('skips DNC (global and campaign) and refused prefixes at dial time, and logs each', async () => {
    const c = await makeCampaign(t, { allowedPrefixes: ['+447400'] });
    const [p1, p2, p3] = ['+447400000001', '+447400000002', '+447400000003'];
    await seedContacts(t, c.id, [p1!, p2!, p3!, '+33142685300']);
    const dnc = new DncService(db);
    // Listed after import: lands at once.
    expect(await dnc.add(p1!, { reason: 'opt-out', source: 'ivr' })).toMatchObject({ added: true, contactsBlocked: 1 });
    // Listed behind the service's back (e.g. replicated in): caught at dial time.
    await db.insertInto('dnc').values({ phone_e164: p2!, campaign_id: c.id }).execute();
    const r = await new ContactClaimer(db, 'A').claim(c, 10, Date.now(), () => 'node1');
    expect(r.attempts.map((x) => x.phone)).toEqual([p3]);
    expect(r).toMatchObject({ dncSkipped: 1, prefixRefused: 1 });
    const skips = await db.selectFrom('dialer_skips').select(['phone_e164', 'reason']).where('campaign_id', '=', c.id).orderBy('id').execute();
    expect(skips).toEqual([
      { phone_e164: p1, reason: 'dnc' },
      { phone_e164: p2, reason: 'dnc' },
      { phone_e164: '+33142685300', reason: 'prefix' },
    ]);
    expect(await dnc.isListed(p1!, c.id)).toBe(true);
    expect(await dnc.remove(p1!)).toBe(true);
    expect(await dnc.isListed(p1!, c.id)).toBe(false);
    await expect(dnc.add('12')).rejects.toThrow(/not a valid phone number/);
  });

  it('defers a contact outside its window to the opening in its own zone', async () => {
    // Tue 24 Nov 2026 14:00 UTC: 09:00 in New York is open, 23:00 in Tokyo is closed.
    const now = Date.UTC(2026, 10, 24, 14, 0);
    const c = await makeCampaign(t, {
      allowedPrefixes: ['+1', '+81'],
      windows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '20:00' }],
      defaultTimezone: 'America/New_York',
    });
    await seedContacts(t, c.id, ['+12125550123']);
    await seedContacts(t, c.id, ['+81312345678'], 'Asia/Tokyo');
    const cl = new ContactClaimer(db, 'A');
    const r = await cl.claim(c, 10, now, () => 'node1');
    expect(r.attempts.map((a) => a.phone)).toEqual(['+12125550123']);
    expect(r.deferred).toBe(1);
    const tokyo = await db.selectFrom('contacts').select(['state', 'next_attempt_at']).where('phone_e164', '=', '+81312345678').executeTakeFirstOrThrow();
    expect(tokyo.state).toBe('pending');
    expect(tokyo.next_attempt_at.getTime()).toBe(Date.UTC(2026, 10, 25, 0, 0));
    expect((await cl.claim(c, 10, Date.UTC(2026, 10, 24, 23, 59), () => 'node1')).attempts).toEqual([]);
    expect((await cl.claim(c, 10, Date.UTC(2026, 10, 25, 0, 0), () => 'node1')).attempts.map((a) => a.phone)).toEqual(['+81312345678']);
  });

  it('evaluates a US contact without a zone in the zone of its area code, not the campaign default', async () => {
    // Tue 24 Nov 2026 14:30 UTC: 09:30 in New York (open), 08:30 in Chicago (closed until 15:00 UTC).
    const c = await makeCampaign(t, {
      allowedPrefixes: ['+1'],
      windows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '20:00' }],
      defaultTimezone: 'America/New_York',
    });
    await seedContacts(t, c.id, ['+12125550124', '+13125550124']);
    const cl = new ContactClaimer(db, 'A');
    const r = await cl.claim(c, 10, Date.UTC(2026, 10, 24, 14, 30), () => 'node1');
    expect(r.attempts.map((a) => a.phone)).toEqual(['+12125550124']);
    const chicago = await db.selectFrom('contacts').select('next_attempt_at').where('campaign_id', '=', c.id).where('phone_e164', '=', '+13125550124').executeTakeFirstOrThrow();
    expect(chicago.next_attempt_at.getTime()).toBe(Date.UTC(2026, 10, 24, 15, 0));
  });

  it('retries busy after its backoff, honours max attempts, and closes an attempt once', async () => {
    const c = await makeCampaign(t, { maxAttempts: 2, retryPolicy: { busy: { delaySec: 60 } } });
    await seedContacts(t, c.id, ukNumbers(1, 900));
    const cl = new ContactClaimer(db, 'A');
    const rec = new AttemptRecorder(db);
    const t0 = Date.now();
    const [a1] = (await cl.claim(c, 1, t0, () => 'n')).attempts;
    expect(await rec.finish(c, a1!.attemptId, 1, { outcome: 'busy', cause: 'USER_BUSY', endedAt: t0 })).toEqual({ kind: 'retry', delayMs: 60_000 });
    expect(await rec.finish(c, a1!.attemptId, 1, { outcome: 'answered', cause: 'NORMAL_CLEARING', endedAt: t0 })).toBeNull();
    expect((await cl.claim(c, 1, t0 + 59_000, () => 'n')).attempts).toEqual([]);
    const [a2] = (await cl.claim(c, 1, t0 + 60_000, () => 'n')).attempts;
    expect(a2!.attemptNo).toBe(2);
    expect(await rec.finish(c, a2!.attemptId, 2, { outcome: 'busy', cause: 'USER_BUSY', endedAt: t0 + 61_000 })).toEqual({
      kind: 'exhausted',
      reason: 'max_attempts',
    });
    expect((await cl.claim(c, 1, t0 + 10_000_000, () => 'n')).attempts).toEqual([]);
    const contact = await db.selectFrom('contacts').select(['state', 'attempts']).where('id', '=', a1!.contactId).executeTakeFirstOrThrow();
    expect(contact).toEqual({ state: 'exhausted', attempts: 2 });
    // The database itself refuses a second attempt row with the same number.
    await expect(
      db.insertInto('attempts').values({ campaign_id: c.id, contact_id: a1!.contactId, attempt_no: 2, phone_e164: a1!.phone }).execute(),
    ).rejects.toThrow(/duplicate key/);
  });

  it('counts progress', async () => {
    const c = await makeCampaign(t);
    await seedContacts(t, c.id, ukNumbers(3, 950));
    const cl = new ContactClaimer(db, 'A');
    const rec = new AttemptRecorder(db);
    const got = (await cl.claim(c, 3, Date.now(), () => 'n')).attempts;
    await rec.finish(c, got[0]!.attemptId, 1, { outcome: 'answered', cause: 'NORMAL_CLEARING', endedAt: Date.now() });
    await rec.finish(c, got[1]!.attemptId, 1, { outcome: 'no_answer', cause: 'NO_ANSWER', endedAt: Date.now() });
    const p = await new CampaignService(db).counts(c.id);
    expect(p).toMatchObject({ answered: 1, noAnswer: 1, dialling: 1, pending: 1, attempts: 3, abandonRatePct: 0 });
  });
});
