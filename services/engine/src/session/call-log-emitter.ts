import type { CallLogEventInput } from '@switchyard/calllog';
import { eventId, hangupFieldsFromVariables } from '@switchyard/calllog';
import type { StepEvent } from '@switchyard/ivr';

/** Where call-log events go: `CallLogProducer.append` (synchronous, never awaited). */
export interface CallLogSink {
  append(event: CallLogEventInput): boolean;
}

/** What a leg's first event records. */
export interface LegInfo {
  readonly legId: string;
  readonly direction: 'inbound' | 'outbound';
  readonly startedAt: Date;
  readonly caller?: string;
  readonly callee?: string;
  readonly did?: string;
  readonly node: string;
  readonly engineId: string;
  readonly flowId?: string;
  readonly flowVersion?: number;
  /**
   * The dialer writes this leg's created/answered/hungup events (a campaign call it
   * originated): the engine then adds steps, transfers and bridges only, so the call log
   * holds one row per leg with one author per fact.
   */
  readonly lifecycleByDialer?: boolean;
}

/**
 * Turns one leg's facts into call-log events with a monotonic per-leg `seq` and
 * idempotency keys. Synchronous: the producer buffers, the call path never waits on I/O.
 * A successor engine (takeover) continues from the snapshot's `seq`.
 */
export class CallLogEmitter {
  constructor(
    private readonly sink: CallLogSink,
    private readonly leg: LegInfo,
    private seq = 0,
  ) {}

  /** Next sequence number (saved in the call's snapshot). */
  get nextSeq(): number {
    return this.seq;
  }

  created(): void {
    const l = this.leg;
    if (l.lifecycleByDialer) return;
    this.emit({
      type: 'leg.created',
      caller: l.caller ?? null,
      callee: l.callee ?? null,
      did: l.did ?? null,
      node: l.node,
      engineId: l.engineId,
      flowId: l.flowId ?? null,
      flowVersion: l.flowVersion ?? null,
    });
  }

  answered(at = new Date()): void {
    if (this.leg.lifecycleByDialer) return;
    this.emit({ type: 'leg.answered' }, at);
  }

  /** An IVR step; its number is the leg's event seq, so a flow restarted after a takeover never reuses one. */
  step(s: StepEvent): void {
    this.emit(
      {
        type: 'ivr.step',
        step: this.seq,
        state: s.state.slice(0, 128) || '-',
        kind: s.kind,
        flowId: s.flowId,
        flowVersion: s.flowVersion,
        detail: s.detail as Record<string, unknown>,
      },
      new Date(s.at),
    );
  }

  transferred(to: string): void {
    this.emit({ type: 'leg.transferred', transferredTo: to.slice(0, 256) || '-' });
  }

  bridged(to: string): void {
    this.emit({ type: 'leg.bridged', bridgedTo: to.slice(0, 256) || '-' });
  }

  /** The hang-up, from CHANNEL_HANGUP(_COMPLETE) headers or just a cause the engine chose. */
  hungUp(vars: Record<string, string | undefined>): void {
    if (this.leg.lifecycleByDialer) return;
    const f = hangupFieldsFromVariables(vars);
    this.emit({
      type: 'leg.hungup',
      hangupCause: f.hangupCause || 'NORMAL_CLEARING',
      sipCode: f.sipCode,
      answeredAt: f.answeredAt,
      talkMs: f.talkMs,
      totalMs: f.totalMs,
      pddMs: f.pddMs,
      mos: f.mos,
      jitterMs: f.jitterMs,
      packetLossPct: f.packetLossPct,
    });
  }

  private emit(body: Record<string, unknown> & { type: CallLogEventInput['type'] }, at = new Date()): void {
    const seq = this.seq++;
    const l = this.leg;
    this.sink.append({
      v: 1,
      id: eventId(l.legId, body.type, seq),
      legId: l.legId,
      startedAt: l.startedAt,
      direction: l.direction,
      at,
      seq,
      ...body,
    } as CallLogEventInput);
  }
}
