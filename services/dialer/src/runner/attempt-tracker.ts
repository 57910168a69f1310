import type { Logger } from '@switchyard/core';
import { ABANDON_CONNECT_MS, isAbandoned } from '../core/abandon-budget.ts';
import { type Outcome, outcomeFromCause, parseOriginateResult } from '../core/outcome.ts';
import type { AttemptRecorder } from '../claims/attempt-recorder.ts';
import type { InFlightCall } from './in-flight-call.ts';
import type { NodePicker } from './node-picker.ts';
import type { DialerMetricsPort } from './dialer-metrics-port.ts';
import type { AnsweredPort, AttemptLogFacts, AttemptLogPort, SwitchEvent, SwitchPort } from './switch-port.ts';

export interface TrackerOptions {
  /** How long to wait for BACKGROUND_JOB past the originate timeout before checking the node. */
  jobGraceMs: number;
  originateTimeoutSec: number;
  /** A call up longer than this is checked for existence (a lost hang-up event). */
  maxCallMs: number;
  clock: () => number;
}

/**
 * Follows every attempt in flight from originate to outcome: BACKGROUND_JOB (`+OK` =
 * answered, `-ERR CAUSE` = busy/no answer/failed), answer (machine detection), the flow
 * handoff (abandoned if late), and CHANNEL_HANGUP_COMPLETE. Maps are keyed by job and
 * call UUID and hold only calls in flight (bounded by the concurrency caps).
 */
export class AttemptTracker {
  private readonly byJob = new Map<string, InFlightCall>();
  private readonly byCall = new Map<string, InFlightCall>();
  private readonly perCampaign = new Map<string, number>();

  constructor(
    private readonly sw: SwitchPort,
    private readonly recorder: AttemptRecorder,
    private readonly picker: NodePicker,
    private readonly onAnswered: AnsweredPort,
    private readonly log: AttemptLogPort | null,
    private readonly logger: Logger,
    private readonly opts: TrackerOptions,
    private readonly metrics: DialerMetricsPort | null = null,
  ) {}

  /** Calls in flight for one campaign (for the concurrency cap). */
  inFlight(campaignId: string): number {
    return this.perCampaign.get(campaignId) ?? 0;
  }
  /** Whether a call UUID is tracked. */
  has(callUuid: string): boolean {
    return this.byCall.has(callUuid);
  }
  get total(): number {
    return this.byCall.size;
  }
  /** Calls of one campaign (for stop-with-hang-up). */
  callsOf(campaignId: string): InFlightCall[] {
    return [...this.byCall.values()].filter((c) => c.campaign.id === campaignId);
  }

  /** Starts tracking before the originate is sent (an event may beat the command reply). */
  track(call: InFlightCall): void {
    this.byJob.set(call.attempt.jobUuid, call);
    this.byCall.set(call.attempt.callUuid, call);
    this.perCampaign.set(call.campaign.id, this.inFlight(call.campaign.id) + 1);
  }

  /** Handles one switch event; unknown UUIDs (other dialers' calls, inbound calls) are ignored in O(1). */
  handle(e: SwitchEvent): void {
    if (e.type === 'job') {
      const c = this.byJob.get(e.jobUuid);
      if (c && c.phase === 'job') void this.onJob(c, e.body).catch((err) => this.fail(c, err));
    } else if (e.type === 'answer') {
      const c = this.byCall.get(e.callUuid);
      if (c) {
        c.machine ||= e.machine;
        c.answeredAt ??= this.opts.clock();
      }
    } else {
      const c = this.byCall.get(e.callUuid);
      if (!c) return;
      // The hang-up says whether the channel was answered: this covers answers we missed (restart).
      if (e.answeredAt !== null) c.answeredAt ??= e.answeredAt;
      // Before the job result, or while its answer is being recorded (no hand-off begun yet): onJob decides.
      if (c.phase === 'job' || (c.phase === 'up' && !c.handoff && !c.machine)) c.earlyHangup = e.cause;
      else if (c.phase === 'adopted' && c.answeredAt === null) {
        const m = outcomeFromCause(e.cause);
        void this.end(c, m.outcome, m.cause, m.permanent).catch((err) => this.fail(c, err));
      } else {
        // Gone while the hand-off is being decided: whether the engine took it in time decides the outcome.
        void (c.handoff ?? Promise.resolve()).then(() => this.end(c, this.upOutcome(c), e.cause)).catch((err) => this.fail(c, err));
      }
    }
  }

  private async onJob(c: InFlightCall, body: string): Promise<void> {
    const r = parseOriginateResult(body);
    if (!r.ok) return this.end(c, r.outcome, r.cause, r.permanent);
    const now = this.opts.clock();
    c.phase = 'up';
    c.answeredAt ??= now;
    c.deadline = now + this.opts.maxCallMs;
    await this.recorder.markAnswered(c.attempt.attemptId, c.answeredAt);
    if (c.earlyHangup !== null) {
      // Hung up before we even heard of the answer: connected only if an engine took it meanwhile.
      if (!c.machine) await this.handOff(c);
      return this.end(c, this.upOutcome(c), c.earlyHangup);
    }
    if (c.machine) {
      await this.sw.hangup(c.attempt.node, c.attempt.callUuid, 'NORMAL_CLEARING').catch(() => {});
      return;
    }
    await this.handOff(c);
  }

  private handOff(c: InFlightCall): Promise<void> {
    c.handoff ??= this.connect(c);
    return c.handoff;
  }

  /** Waits for the flow to take the call; late or never = abandoned (and hung up). Never rejects. */
  private async connect(c: InFlightCall): Promise<void> {
    const a = c.attempt;
    const answeredAt = c.answeredAt ?? this.opts.clock();
    let connectedAt: number | null = null;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.onAnswered({ node: a.node, callUuid: a.callUuid, campaignId: a.campaignId, contactId: a.contactId, attemptId: a.attemptId, flowId: c.campaign.flowId, phone: a.phone }),
        new Promise((_, rej) => {
          timer = setTimeout(() => rej(new Error('flow handoff timed out')), ABANDON_CONNECT_MS + 50);
        }),
      ]);
      connectedAt = this.opts.clock();
    } catch (err) {
      this.logger.warn({ err, uuid: a.callUuid, attemptId: a.attemptId }, 'answered call not connected to its flow');
    } finally {
      clearTimeout(timer);
    }
    if (isAbandoned({ answeredAt, connectedAt, machine: false })) {
      c.abandoned = true;
      // A live person with nobody to talk to: end it now rather than leave silence.
      await this.sw.hangup(a.node, a.callUuid, 'NORMAL_CLEARING').catch(() => {});
    }
  }

  private upOutcome(c: InFlightCall): Outcome {
    if (c.machine) return 'machine';
    return c.abandoned ? 'abandoned' : 'answered';
  }

  /** Closes the attempt (idempotent in the database) and frees its slot. */
  async end(c: InFlightCall, outcome: Outcome, cause: string, permanent = false): Promise<void> {
    if (this.byCall.get(c.attempt.callUuid) !== c) return;
    this.byJob.delete(c.attempt.jobUuid);
    this.byCall.delete(c.attempt.callUuid);
    const left = this.inFlight(c.campaign.id) - 1;
    if (left > 0) this.perCampaign.set(c.campaign.id, left);
    else this.perCampaign.delete(c.campaign.id);
    this.picker.release(c.attempt.node);
    const now = this.opts.clock();
    const a = c.attempt;
    // Log first, durably: a crash before the attempt is closed re-closes it on restart and logs
    // again with the same idempotency key, so the call log never misses an end. (Buffered
    // but unflushed, a kill -9 after the close would lose it for good.)
    this.log?.attemptEnded({ ...logFacts(c, now), outcome, cause, answeredAt: c.answeredAt });
    await this.log?.flush?.().catch((err: unknown) => this.logger.warn({ err, uuid: a.callUuid, attemptId: a.attemptId }, 'call log flush failed'));
    await this.recorder.finish(c.campaign, a.attemptId, a.attemptNo, { outcome, cause, permanent, answeredAt: c.answeredAt, endedAt: now });
    this.metrics?.ended(c.campaign.id, outcome, cause);
  }

  /** The originate was not sent at all: close as failed so the retry policy applies. */
  notSent(c: InFlightCall, why: string): Promise<void> {
    this.logger.warn({ uuid: c.attempt.callUuid, attemptId: c.attempt.attemptId, why }, 'originate not sent');
    return this.end(c, 'failed', 'ORIGINATE_NOT_SENT');
  }

  /**
   * Calls past their deadline (no job result, or no hang-up for too long): ask the node.
   * A live channel is kept (never dial again while it is up); a missing one is closed as
   * `unknown`, and retried under the failed rule.
   */
  async sweep(): Promise<void> {
    const now = this.opts.clock();
    for (const c of [...this.byCall.values()]) {
      if (c.deadline > now) continue;
      try {
        const live = await this.sw.channelExists(c.attempt.node, c.attempt.callUuid);
        if (live) c.deadline = now + this.opts.jobGraceMs;
        else if (c.answeredAt === null) await this.end(c, 'unknown', c.phase === 'job' ? 'JOB_LOST' : 'CHANNEL_GONE');
        else await this.end(c, this.upOutcome(c), 'HANGUP_LOST');
      } catch {
        c.deadline = now + this.opts.jobGraceMs; // node unreachable: ask again later
      }
    }
  }

  /** Deadline for a fresh originate. */
  jobDeadline(now: number): number {
    return now + this.opts.originateTimeoutSec * 1000 + this.opts.jobGraceMs;
  }

  private fail(c: InFlightCall, err: unknown): void {
    this.logger.error({ err, uuid: c.attempt.callUuid, attemptId: c.attempt.attemptId }, 'attempt tracking failed; the sweep will resolve it');
    c.deadline = 0;
  }
}

/** The call-log facts of a tracked attempt. */
export function logFacts(c: InFlightCall, at: number): AttemptLogFacts {
  const a = c.attempt;
  return {
    attemptId: a.attemptId,
    campaignId: a.campaignId,
    contactId: a.contactId,
    callUuid: a.callUuid,
    node: a.node,
    phone: a.phone,
    callerId: c.campaign.callerId,
    trunk: c.campaign.gateway,
    flowId: c.campaign.flowId,
    startedAt: c.startedAt,
    at,
  };
}
