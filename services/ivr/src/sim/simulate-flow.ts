import type { BridgeRequest, BridgeResult } from '../channel-driver.ts';
import type { CompiledFlow } from '../compiler/compile-flow.ts';
import { runFlow } from '../runtime/run-flow.ts';
import type { CallInfo, FlowOutcome, LookupPort, StepEvent } from '../runtime/runtime-types.ts';
import { MemoryDriver } from './memory-driver.ts';
import { parseScript, type ScriptStep } from './sim-script.ts';
import { VirtualClock } from './virtual-clock.ts';

/** Options of {@link simulateFlow}. */
export interface SimulateOptions {
  /** Caller script, e.g. `wait 2s; press 1`; or steps already parsed. */
  readonly script: string | readonly ScriptStep[];
  /** Virtual start time (ms since epoch); a weekday 10:00 UTC by default. */
  readonly startAt?: number;
  readonly lookups?: LookupPort | ((clock: VirtualClock) => LookupPort);
  readonly call?: Partial<CallInfo>;
  readonly bridgeOutcome?: (req: BridgeRequest) => BridgeResult;
  /** After the script ends the caller stays silent; give up after this much virtual time. */
  readonly maxSilenceMs?: number;
  /** Called when the script reaches a `press` or `wait` (tests use it to act mid-call). */
  readonly onScriptStep?: (step: ScriptStep, index: number) => void | Promise<void>;
}

/** What a simulation produced: the outcome, every step event, and the path as text. */
export interface SimulationResult {
  readonly outcome: FlowOutcome;
  readonly steps: readonly StepEvent[];
  /** States entered, in order. */
  readonly path: readonly string[];
  readonly transcript: readonly string[];
}

/**
 * Runs a flow against an in-memory driver on a virtual clock, following a caller script.
 *
 * @example
 * const r = await simulateFlow(flow, { script: 'wait 2s; press 1' });
 * console.log(r.transcript.join('\n'));
 */
export async function simulateFlow(flow: CompiledFlow, opts: SimulateOptions): Promise<SimulationResult> {
  const script = typeof opts.script === 'string' ? parseScript(opts.script) : opts.script;
  const clock = new VirtualClock(opts.startAt);
  const t0 = clock.now();
  const driver = new MemoryDriver(clock, { bridgeOutcome: opts.bridgeOutcome });
  const steps: StepEvent[] = [];
  // Formatted only if someone reads the transcript (the bench does not).
  const lines: (StepEvent | { readonly at: number; readonly text: string })[] = [];
  const lookups = typeof opts.lookups === 'function' ? opts.lookups(clock) : opts.lookups;
  let outcome: FlowOutcome | null = null;
  const running = runFlow(flow, {
    driver,
    clock,
    lookups,
    call: { callId: driver.callId, direction: 'inbound', from: '+441632960001', to: '+441632960100', ...opts.call },
    onStep: (e) => {
      steps.push(e);
      lines.push(e);
    },
  }).then((o) => {
    outcome = o;
  });
  for (const [i, step] of script.entries()) {
    if (outcome) break;
    await opts.onScriptStep?.(step, i);
    if (step.op === 'wait') await clock.advance(step.ms);
    else if (step.op === 'hangup') {
      lines.push({ at: clock.now(), text: 'caller hangs up' });
      driver.callerHangup();
    } else {
      for (const d of step.digits) {
        lines.push({ at: clock.now(), text: `caller presses ${d}` });
        driver.press(d);
      }
    }
  }
  const limit = clock.now() + (opts.maxSilenceMs ?? 600_000);
  while (!outcome && clock.now() < limit) await clock.advance(1000);
  if (!outcome) driver.callerHangup('SIM_GAVE_UP');
  await running;
  const result = outcome as unknown as FlowOutcome;
  let transcript: string[] | null = null;
  return {
    outcome: result,
    steps,
    path: steps.filter((s) => s.kind === 'state').map((s) => s.state),
    get transcript() {
      transcript ??= lines.map((l) => `${stamp(l.at - t0)} ${'text' in l ? l.text : describeStep(l)}`);
      return transcript;
    },
  };
}

function stamp(ms: number): string {
  const m = Math.floor(ms / 60_000);
  const s = ((ms % 60_000) / 1000).toFixed(3).padStart(6, '0');
  return `${String(m).padStart(2, '0')}:${s}`;
}

function describeStep(e: StepEvent): string {
  const d = e.detail;
  switch (e.kind) {
    case 'state':
      return `[${e.state}] enter (${d.verb})`;
    case 'prompt':
      return `[${e.state}] prompt ${(d.prompts as string[]).join(', ')}${d.bargedInWith ? ` (barged in with ${d.bargedInWith})` : ''}`;
    case 'digits':
      return `[${e.state}] digits "${d.digits}" (${d.end}, attempt ${d.attempt}${d.valid ? '' : ', invalid'})`;
    case 'timeout':
      return `[${e.state}] no input (attempt ${d.attempt})`;
    case 'end':
      return `[${e.state}] END ${d.end} disposition=${d.disposition}${d.transfer ? ` transfer=${JSON.stringify(d.transfer)}` : ''}${d.error ? ` error=${d.error}` : ''}`;
    default:
      return `[${e.state}] ${e.kind} ${JSON.stringify(d)}`;
  }
}
