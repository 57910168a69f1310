import type { SwitchEvent, SwitchPort } from '../../src/runner/switch-port.ts';

/** How the stand-in answers one originate. */
export interface FakeCallPlan {
  result: 'answer' | 'busy' | 'no_answer' | 'failed' | 'machine';
  ringMs: number;
  talkMs: number;
}

export interface FakeOriginate {
  node: string;
  jobUuid: string;
  callUuid: string;
  phone: string;
  at: number;
  endedAt?: number;
}

/**
 * An in-process stand-in for FreeSWITCH nodes behind the SwitchPort: parses the originate,
 * rings, answers/busies per a plan, emits BACKGROUND_JOB / answer / hang-up like the real
 * thing, and records every originate so tests can assert what was actually dialled.
 */
export class FakeSwitch implements SwitchPort {
  readonly originates: FakeOriginate[] = [];
  readonly live = new Map<string, { o: FakeOriginate; timer: NodeJS.Timeout; answered: boolean; answeredAt?: number }>();
  maxLive = 0;
  private readonly listeners = new Set<(e: SwitchEvent) => void>();

  constructor(private readonly plan: (phone: string, n: number) => FakeCallPlan) {}

  async bgapi(node: string, jobUuid: string, command: string): Promise<void> {
    const m = /origination_uuid=([0-9a-f-]+).*\}\S+\/(\+\d+) /.exec(command);
    if (!m) throw new Error(`fake switch cannot parse ${command}`);
    const callUuid = m[1]!;
    const phone = m[2]!;
    const o: FakeOriginate = { node, jobUuid, callUuid, phone, at: Date.now() };
    this.originates.push(o);
    const n = this.originates.filter((x) => x.phone === phone).length;
    const p = this.plan(phone, n);
    const timer = setTimeout(() => this.ring(o, p), p.ringMs);
    this.live.set(callUuid, { o, timer, answered: false });
    this.maxLive = Math.max(this.maxLive, this.live.size);
  }

  private ring(o: FakeOriginate, p: FakeCallPlan): void {
    if (p.result === 'answer' || p.result === 'machine') {
      this.emit({ type: 'answer', node: o.node, callUuid: o.callUuid, machine: p.result === 'machine' });
      this.emit({ type: 'job', node: o.node, jobUuid: o.jobUuid, body: `+OK ${o.callUuid}\n` });
      const rec = this.live.get(o.callUuid);
      if (rec) {
        rec.answered = true;
        rec.answeredAt = Date.now();
      }
      if (rec) rec.timer = setTimeout(() => this.end(o.callUuid, 'NORMAL_CLEARING'), p.talkMs);
      return;
    }
    const cause = p.result === 'busy' ? 'USER_BUSY' : p.result === 'no_answer' ? 'NO_ANSWER' : 'NORMAL_TEMPORARY_FAILURE';
    this.live.delete(o.callUuid);
    o.endedAt = Date.now();
    this.emit({ type: 'hangup', node: o.node, callUuid: o.callUuid, cause, answeredAt: null });
    this.emit({ type: 'job', node: o.node, jobUuid: o.jobUuid, body: `-ERR ${cause}\n` });
  }

  private end(callUuid: string, cause: string): void {
    const rec = this.live.get(callUuid);
    if (!rec) return;
    clearTimeout(rec.timer);
    this.live.delete(callUuid);
    rec.o.endedAt = Date.now();
    this.emit({ type: 'hangup', node: rec.o.node, callUuid, cause, answeredAt: rec.answeredAt ?? null });
    // Killed while ringing: the originate job fails with the cause, as in FreeSWITCH.
    if (!rec.answered) this.emit({ type: 'job', node: rec.o.node, jobUuid: rec.o.jobUuid, body: `-ERR ${cause}\n` });
  }

  async channelExists(_node: string, uuid: string): Promise<boolean> {
    return this.live.has(uuid);
  }

  async hangup(_node: string, uuid: string, cause: string): Promise<void> {
    this.end(uuid, cause);
  }

  onEvent(listener: (e: SwitchEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: SwitchEvent): void {
    for (const l of this.listeners) l(e);
  }
}
