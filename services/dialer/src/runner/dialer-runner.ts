import type { Logger } from '@switchyard/core';
import type { Campaign } from '../campaign/campaign-record.ts';
import { campaignFromRow } from '../campaign/campaign-record.ts';
import { CampaignService } from '../campaign/campaign-service.ts';
import { AttemptRecorder } from '../claims/attempt-recorder.ts';
import { type ClaimedAttempt, ContactClaimer } from '../claims/contact-claimer.ts';
import { ABANDON_WINDOW_MS } from '../core/abandon-budget.ts';
import type { DialerDb } from '../db/dialer-schema.ts';
import { AttemptTracker, logFacts } from './attempt-tracker.ts';
import { CampaignPacer } from './campaign-pacer.ts';
import type { InFlightCall } from './in-flight-call.ts';
import { NodePicker } from './node-picker.ts';
import { originateCommand } from './originate-command.ts';
import { RateMeter } from './rate-meter.ts';
import { recoverOpenAttempts } from './attempt-recovery.ts';
import type { LiveProgressStore } from '../progress/live-progress-store.ts';
import type { SharedRateLimiter } from '../pacing/redis-rate-limiter.ts';
import type { DialerMetricsPort } from './dialer-metrics-port.ts';
import type { AnsweredPort, AttemptLogPort, NodeSource, SwitchPort } from './switch-port.ts';
import { NotSentError } from './switch-port.ts';

export interface DialerRunnerOptions {
  /** Stable per deployment slot: a restarted dialer resolves the attempts it left open. */
  dialerId: string;
  db: DialerDb;
  switch: SwitchPort;
  nodes: NodeSource;
  logger: Logger;
  /** Runs the campaign's flow on answer (the engine); default: treat as connected. */
  onAnswered?: AnsweredPort;
  attemptLog?: AttemptLogPort;
  /** Prometheus (or any) counters: originates, unanswered outcomes, concurrency, abandon ratio. */
  metrics?: DialerMetricsPort;
  /** Where live stats are published for progress across processes (every second). */
  liveStore?: LiveProgressStore;
  /** Dial string for a number; default `sofia/gateway/<gateway>/<number>`. */
  dialString?: (c: Campaign, phone: string) => string;
  /** Shared pacing across dialer processes (Redis); without it each process paces alone. */
  sharedLimiter?: SharedRateLimiter;
  /** Application the originated leg runs (default `&park()`, where the engine picks it up). */
  originateApp?: string;
  /** Calls per second per trunk (gateway), shared by every campaign on it. */
  trunkCps?: Record<string, number>;
  tickMs?: number;
  campaignPollMs?: number;
  nodePollMs?: number;
  abandonPollMs?: number;
  originateTimeoutSec?: number;
  jobGraceMs?: number;
  maxCallMs?: number;
  maxBatch?: number;
  clock?: () => number;
}

/** Live figures for one campaign from this dialer process. */
export interface LiveStats {
  inFlight: number;
  ratePerSec: number;
  abandonFactor: number;
}

/**
 * The scheduler/pacer loop: every tick, for each running campaign, takes tokens (campaign +
 * trunk buckets, abandon budget), claims that many due contacts (SKIP LOCKED, attempt row
 * written first), and sends `bgapi originate` to the least-loaded active node. Pausing a
 * campaign stops new originates within one campaign poll (250 ms by default).
 *
 * @example
 * const r = new DialerRunner({ dialerId: 'dialer-1', db, switch: sw, nodes, logger }); await r.start(); … await r.stop();
 */
export class DialerRunner {
  private readonly o: Required<Omit<DialerRunnerOptions, 'attemptLog' | 'onAnswered' | 'liveStore' | 'sharedLimiter' | 'metrics'>> &
    Pick<DialerRunnerOptions, 'attemptLog' | 'liveStore' | 'metrics'>;
  private readonly claimer: ContactClaimer;
  private readonly recorder: AttemptRecorder;
  private readonly campaigns: CampaignService;
  private readonly picker = new NodePicker();
  private readonly pacer: CampaignPacer;
  private readonly tracker: AttemptTracker;
  private readonly meters = new Map<string, RateMeter>();
  private running: Campaign[] = [];
  private readonly hungUp = new Set<string>(); // stopped campaigns whose calls were ended
  private timer: NodeJS.Timeout | null = null;
  private active = false;
  private loop: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | null = null;
  private stopping: Promise<boolean> | null = null;
  private next = { campaigns: 0, nodes: 0, abandon: 0, sweep: 0, complete: 0, publish: 0 };

  constructor(opts: DialerRunnerOptions) {
    this.o = {
      dialString: (c, phone) => `sofia/gateway/${c.gateway}/${phone}`,
      trunkCps: {},
      originateApp: '&park()',
      tickMs: 20,
      campaignPollMs: 250,
      nodePollMs: 2000,
      abandonPollMs: 5000,
      originateTimeoutSec: 30,
      jobGraceMs: 10_000,
      maxCallMs: 4 * 3600_000,
      maxBatch: 50,
      clock: Date.now,
      ...opts,
    };
    this.claimer = new ContactClaimer(opts.db, opts.dialerId);
    this.recorder = new AttemptRecorder(opts.db);
    this.campaigns = new CampaignService(opts.db);
    this.pacer = new CampaignPacer(this.o.trunkCps, this.o.clock, opts.sharedLimiter ?? null);
    this.tracker = new AttemptTracker(
      opts.switch,
      this.recorder,
      this.picker,
      opts.onAnswered ?? (async () => {}),
      opts.attemptLog ?? null,
      opts.logger,
      { jobGraceMs: this.o.jobGraceMs, originateTimeoutSec: this.o.originateTimeoutSec, maxCallMs: this.o.maxCallMs, clock: this.o.clock },
      opts.metrics ?? null,
    );
  }

  /** Subscribes to events, resolves attempts left open by a previous run, then starts the loop. */
  async start(): Promise<void> {
    this.stopping = null;
    this.unsubscribe = this.o.switch.onEvent((e) => this.tracker.handle(e));
    await this.refreshNodes();
    const r = await recoverOpenAttempts(this.o.db, this.o.dialerId, this.o.switch, this.recorder, this.tracker, this.picker, this.o.clock, this.o.attemptLog ?? null, this.o.metrics ?? null);
    this.o.logger.info({ dialerId: this.o.dialerId, ...r }, 'dialer started');
    this.active = true;
    this.schedule();
  }

  /**
   * Stops new originates and waits (up to `drainMs`) for calls in flight to end; true when
   * none is left. Idempotent: a second call (the Nest shutdown after main's drain) gets the
   * first one's result instead of draining again.
   */
  stop(drainMs = 5000): Promise<boolean> {
    this.stopping ??= this.drain(drainMs);
    return this.stopping;
  }

  private async drain(drainMs: number): Promise<boolean> {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    await this.loop;
    const until = this.o.clock() + drainMs;
    while (this.tracker.total > 0 && this.o.clock() < until) {
      await new Promise((r) => setTimeout(r, 50));
      await this.tracker.sweep();
    }
    this.unsubscribe?.();
    return this.tracker.total === 0;
  }

  /** Stops at once without draining or closing anything, as if the process died (tests, fatal errors). */
  halt(): void {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.unsubscribe?.();
  }

  /** This process's live figures for a campaign. */
  liveStats(campaignId: string): LiveStats {
    return {
      inFlight: this.tracker.inFlight(campaignId),
      ratePerSec: this.meters.get(campaignId)?.rate(this.o.clock()) ?? 0,
      abandonFactor: this.pacer.factor(campaignId),
    };
  }

  /** Calls in flight across campaigns. */
  get inFlight(): number {
    return this.tracker.total;
  }

  private schedule(): void {
    if (!this.active) return;
    this.timer = setTimeout(() => {
      this.loop = this.tick()
        .catch((err) => this.o.logger.error({ err }, 'dialer tick failed'))
        .finally(() => this.schedule());
    }, this.o.tickMs);
  }

  private async tick(): Promise<void> {
    const now = this.o.clock();

    if (now >= this.next.campaigns) {
      this.next.campaigns = now + this.o.campaignPollMs;
      await this.refreshCampaigns();
    }
    if (now >= this.next.nodes) {
      this.next.nodes = now + this.o.nodePollMs;
      await this.refreshNodes();
    }
    if (now >= this.next.abandon) {
      this.next.abandon = now + this.o.abandonPollMs;
      await this.refreshAbandon();
    }
    if (now >= this.next.sweep) {
      this.next.sweep = now + 1000;
      await this.tracker.sweep();
    }
    if (now >= this.next.publish) {
      this.next.publish = now + 1000;
      const store = this.o.liveStore;
      for (const c of this.running) {
        const live = this.liveStats(c.id);
        this.o.metrics?.live(c.id, live);
        // Fire and forget: progress must never slow dialling down.
        if (store) void store.publish(c.id, this.o.dialerId, live, now).catch(() => {});
      }
    }
    const idle: Campaign[] = [];
    for (const c of this.running) {
      if (!this.active) return;
      if ((await this.dialCampaign(c)) === 0 && this.tracker.inFlight(c.id) === 0) idle.push(c);
    }
    if (now >= this.next.complete) {
      this.next.complete = now + 1000;
      for (const c of idle) await this.completeIfDone(c);
    }
  }

  /** One pacing step for one campaign; returns how many originates it sent. */
  private async dialCampaign(c: Campaign): Promise<number> {
    const headroom = c.maxConcurrent - this.tracker.inFlight(c.id);
    const got = await this.pacer.take(c.id, c.gateway, Math.min(headroom, this.o.maxBatch));
    if (got === 0 || this.picker.size === 0) {
      await this.pacer.giveBack(c.id, c.gateway, got);
      return 0;
    }
    const picked: string[] = [];
    let claimed: ClaimedAttempt[] = [];
    try {
      const res = await this.claimer.claim(c, got, this.o.clock(), () => {
        const n = this.picker.pick();
        if (n !== null) picked.push(n);
        return n;
      });
      claimed = res.attempts;
    } finally {
      // Picks beyond the attempts written (or all of them if the claim failed) are undone.
      for (const n of picked.slice(claimed.length)) this.picker.release(n);
      await this.pacer.giveBack(c.id, c.gateway, got - claimed.length);
    }
    for (const a of claimed) this.originate(c, a);
    if (claimed.length > 0) {
      this.meter(c.id).mark(this.o.clock(), claimed.length);
      this.o.metrics?.originated(c.id, claimed.length);
    }
    return claimed.length;
  }

  private originate(c: Campaign, a: ClaimedAttempt): void {
    const now = this.o.clock();
    // startedAt = the attempt row's: a leg logged again after a crash must key the same call-log row.
    const call: InFlightCall = { attempt: a, campaign: c, startedAt: a.startedAt, phase: 'job', answeredAt: null, machine: false, abandoned: false, earlyHangup: null, deadline: this.tracker.jobDeadline(now) };
    this.tracker.track(call);
    this.o.attemptLog?.attemptStarted(logFacts(call, a.startedAt));
    let cmd: string;
    try {
      cmd = originateCommand({
        callUuid: a.callUuid,
        callerId: c.callerId,
        dialString: this.o.dialString(c, a.phone),
        timeoutSec: this.o.originateTimeoutSec,
        // The engine hand-off: the engine runs sy_flow_id on the parked channel and logs its
        // steps on this leg's call-log row (leg id = origination uuid, sy_leg_started_at).
        vars: {
          sy_campaign_id: c.id,
          sy_contact_id: a.contactId,
          sy_attempt_id: a.attemptId,
          sy_flow_id: c.flowId,
          sy_phone: a.phone,
          sy_leg_started_at: String(call.startedAt),
        },
        app: this.o.originateApp,
      });
    } catch (err) {
      void this.tracker.notSent(call, String(err));
      return;
    }
    this.o.switch.bgapi(a.node, a.jobUuid, cmd).catch((err) => {
      // Surely not sent: close now. In doubt: the sweep asks the node at the deadline.
      if (err instanceof NotSentError) void this.tracker.notSent(call, err.message).catch(() => {});
      else this.o.logger.warn({ err, uuid: a.callUuid, attemptId: a.attemptId }, 'originate in doubt');
    });
  }

  private async refreshCampaigns(): Promise<void> {
    const rows = await this.o.db.selectFrom('campaigns').selectAll().where('state', '=', 'running').orderBy('priority', 'desc').execute();
    const before = this.running;
    this.running = rows.map(campaignFromRow);
    for (const c of this.running) this.pacer.upsert(c.id, c.maxCps);
    const ids = new Set(this.running.map((c) => c.id));
    this.pacer.retain(ids);
    for (const id of this.meters.keys()) if (!ids.has(id) && this.tracker.inFlight(id) === 0) this.meters.delete(id);
    // Per-campaign series live only while the campaign runs (bounded by running campaigns).
    for (const c of before) if (!ids.has(c.id)) this.o.metrics?.forget(c.id);
    await this.hangUpStopped();
  }

  /** Ends calls in flight of campaigns stopped with `hangupInFlight`. */
  private async hangUpStopped(): Promise<void> {
    const rows = await this.o.db.selectFrom('campaigns').select('id').where('state', '=', 'stopped').where('stop_hangup', '=', true).execute();
    for (const { id } of rows) {
      const calls = this.tracker.callsOf(id);
      if (calls.length === 0 || this.hungUp.has(id)) continue;
      this.hungUp.add(id);
      if (this.hungUp.size > 1000) this.hungUp.clear();
      await Promise.all(calls.map((k) => this.o.switch.hangup(k.attempt.node, k.attempt.callUuid, 'NORMAL_CLEARING').catch(() => {})));
    }
  }

  private async refreshNodes(): Promise<void> {
    this.picker.setNodes(await this.o.nodes.activeNodes());
  }

  private async refreshAbandon(): Promise<void> {
    if (this.running.length === 0) return;
    const since = new Date(this.o.clock() - ABANDON_WINDOW_MS);
    const rows = await this.o.db
      .selectFrom('attempts')
      .select((eb) => [
        'campaign_id',
        eb.fn.countAll<string>().filterWhere('outcome', 'in', ['answered', 'abandoned']).as('live'),
        eb.fn.countAll<string>().filterWhere('outcome', '=', 'abandoned').as('abandoned'),
      ])
      .where('campaign_id', 'in', this.running.map((c) => c.id))
      .where('ended_at', '>', since)
      .groupBy('campaign_id')
      .execute();
    const by = new Map(rows.map((r) => [r.campaign_id, r]));
    for (const c of this.running) {
      const r = by.get(c.id);
      const s = { liveAnswered: Number(r?.live ?? 0), abandoned: Number(r?.abandoned ?? 0), budgetPct: c.abandonBudgetPct };
      this.pacer.applyAbandon(c.id, s);
      this.o.metrics?.abandon(c.id, s);
    }
  }

  private async completeIfDone(c: Campaign): Promise<void> {
    const left = await this.o.db.selectFrom('contacts').select('id').where('campaign_id', '=', c.id).where('state', 'in', ['pending', 'retry', 'dialling']).limit(1).executeTakeFirst();
    if (left) return;
    try {
      await this.campaigns.complete(c.id, `dialer:${this.o.dialerId}`);
      this.o.logger.info({ campaignId: c.id }, 'campaign completed');
    } catch {
      // Another dialer completed it, or a manager paused/stopped it meanwhile.
    }
  }

  private meter(id: string): RateMeter {
    let m = this.meters.get(id);
    if (!m) this.meters.set(id, (m = new RateMeter()));
    return m;
  }
}
