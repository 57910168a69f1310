import { describe, expect, it } from 'vitest';
import { eventFromRecord } from '../src/esl/esl-event.ts';
import { AppStallError, PendingApps } from '../src/driver/pending-apps.ts';

const completion = (response: string) => eventFromRecord({ 'Event-Name': 'CHANNEL_EXECUTE_COMPLETE', 'Application-Response': response });
const state = <T>(p: Promise<T>) => Promise.race([p.then((v) => ({ v }), (e: unknown) => ({ e })), new Promise((r) => setImmediate(() => r('pending')))]);

describe('PendingApps', () => {
  it('routes completions by Application-UUID whatever order they come in, and forgets each', async () => {
    const seen: string[] = [];
    const apps = new PendingApps((app) => seen.push(app));
    const a = apps.open('set', 10_000);
    const b = apps.open('playback', 10_000);
    const c = apps.open('say', 10_000);
    expect(new Set([a.appUuid, b.appUuid, c.appUuid]).size).toBe(3);
    expect(apps.size).toBe(3);
    // The middle one first: the last entry takes its slot, and the others still resolve right.
    expect(apps.complete(b.appUuid, completion('B'))).toBe(true);
    expect(apps.complete(a.appUuid, completion('A'))).toBe(true);
    expect(apps.complete(c.appUuid, completion('C'))).toBe(true);
    expect((await a.done).get('Application-Response')).toBe('A');
    expect((await b.done).get('Application-Response')).toBe('B');
    expect((await c.done).get('Application-Response')).toBe('C');
    expect(seen).toEqual(['playback', 'set', 'say']);
    expect(apps.size).toBe(0);
    // Late, repeated or foreign completions are not ours.
    expect(apps.complete(b.appUuid, completion('again'))).toBe(false);
    expect(apps.complete('someone-else', completion('x'))).toBe(false);
    expect(apps.complete(undefined, completion('x'))).toBe(false);
  });

  it('a barged prompt resolves at once and its entry absorbs the completion that follows', async () => {
    const apps = new PendingApps();
    const p = apps.open('playback', 10_000);
    apps.settle(p.appUuid, completion('BARGED_IN'));
    expect((await p.done).get('Application-Response')).toBe('BARGED_IN');
    expect(apps.size).toBe(1);
    expect(apps.complete(p.appUuid, completion('FILE PLAYED'))).toBe(true);
    expect(apps.size).toBe(0);
    // An aborted signal leaves settled entries alone.
    const ctl = new AbortController();
    const q = apps.open('playback', 10_000, ctl.signal);
    apps.settle(q.appUuid, completion('BARGED_IN'));
    expect(apps.failSignal(ctl.signal, new Error('x'))).toBe(0);
    apps.failAll(new Error('gone'));
  });

  it('fails only the apps of an aborted signal, and everything on hangup', async () => {
    const apps = new PendingApps();
    const ctl = new AbortController();
    const mine = [apps.open('playback', 10_000, ctl.signal), apps.open('say', 10_000, ctl.signal)];
    const other = apps.open('set', 10_000);
    expect(apps.failSignal(ctl.signal, new Error('state left'))).toBe(2);
    for (const m of mine) await expect(m.done).rejects.toThrow('state left');
    expect(await state(other.done)).toBe('pending');
    expect(apps.size).toBe(1);
    apps.failAll(new Error('hangup'));
    await expect(other.done).rejects.toThrow('hangup');
    expect(apps.size).toBe(0);
  });

  it('resolves everything after a reconnect, and times out an app that never completes', async () => {
    const apps = new PendingApps();
    const a = apps.open('playback', 10_000);
    const b = apps.open('set', 10_000);
    apps.resolveAll(completion('RESYNC'));
    expect((await a.done).get('Application-Response')).toBe('RESYNC');
    expect((await b.done).get('Application-Response')).toBe('RESYNC');
    const slow = apps.open('playback', 30);
    const fast = apps.open('set', 10_000);
    const err = await slow.done.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppStallError);
    expect((err as AppStallError).app).toBe('playback');
    expect((err as AppStallError).ms).toBe(30);
    // Only the stalled app left; its late completion is dropped.
    expect(apps.size).toBe(1);
    expect(apps.complete(slow.appUuid, completion('late'))).toBe(false);
    expect(apps.complete(fast.appUuid, completion('ok'))).toBe(true);
  });
});
