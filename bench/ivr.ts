/**
 * IVR simulator throughput: simulated calls through the inbound main-menu flow on the
 * virtual clock (in-memory driver, no sockets), a mix of caller scripts. Peer: the same
 * sales path hand-written as plain async driver calls, i.e. the cost of the XState layer.
 * Calls/s swing with whatever else shares the cores; CPU µs per call is the steadier figure.
 *
 *   npm run bench:ivr [-- --quick]
 */
import { mainMenuFlow, simulationLookups } from '@switchyard/ivr-flows';
import { MemoryDriver, parseScript, resolvePrompts, simulateFlow, VirtualClock } from '@switchyard/ivr';
import { benchReport, percentile } from './lib/report.ts';

const report = benchReport('ivr');
const CALLS = report.quick ? 2_000 : 10_000;
const CONCURRENCY = 50;
const flow = mainMenuFlow.compile();
const catalogue = mainMenuFlow.catalogue;

const scripts = [
  'wait 2s; press 1', // sales
  'wait 4s; press 2; wait 1s; press *; wait 1s; press 2; wait 1s; press 2', // support, back, billing
  'wait 4s; press 3; wait 1s; press 1000042#; wait 5s; press 0', // balance then agent
  'wait 4s; press 7; wait 2m', // invalid, then silence → exhausted → agent
  'wait 4s; press 9; wait 1s; press 2; wait 1s; press 1', // opt-out declined, back, sales
].map(parseScript);

async function pool(n: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) await work(next++);
    }),
  );
}

// CPU time (user + system) per call: steadier than calls/s when the machine is shared.
function cpuUsPerCall(since: NodeJS.CpuUsage, n: number): number {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / n;
}

async function simulated(n: number, pick: (i: number) => number) {
  let steps = 0;
  const latencies: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await pool(n, async (i) => {
    const s = performance.now();
    const r = await simulateFlow(flow, { script: scripts[pick(i)]!, lookups: simulationLookups });
    latencies.push(performance.now() - s);
    steps += r.steps.length;
    if (r.outcome.end === 'error') throw new Error(`call ${i} failed: ${r.outcome.error}`);
  });
  const secs = (performance.now() - t0) / 1000;
  return { perS: n / secs, stepsPerS: steps / secs, p99: percentile(latencies, 99), cpuUs: cpuUsPerCall(cpu0, n) };
}

// The sales path with no machine: answer, welcome (barge-in), menu collect, transfer.
async function plainSalesCall(): Promise<void> {
  const clock = new VirtualClock();
  const d = new MemoryDriver(clock);
  const run = (async () => {
    await d.answer();
    await d.play(resolvePrompts(catalogue, ['welcome']), { bargeIn: true });
    const r = await d.playAndGetDigits({ prompts: resolvePrompts(catalogue, ['main-menu']), minDigits: 1, maxDigits: 1, interDigitTimeoutMs: 3000, noInputTimeoutMs: 6000 });
    if (r.digits !== '1') throw new Error('unexpected digits');
    await d.transfer({ kind: 'queue', queue: 'sales' });
  })();
  await clock.advance(2000);
  d.press('1');
  await run;
}

async function plain(n: number) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await pool(n, () => plainSalesCall());
  return { perS: n / ((performance.now() - t0) / 1000), cpuUs: cpuUsPerCall(cpu0, n) };
}

await simulated(200, (i) => i % scripts.length); // warm-up
await plain(200);
const mixed = await simulated(CALLS, (i) => i % scripts.length);
const salesN = Math.min(CALLS, 5_000);
const sales = await simulated(salesN, () => 0);
const salesPlain = await plain(salesN);

report.figure('ivr_sim_calls_per_s', mixed.perS, 'calls/s', `${CALLS} calls, ${scripts.length} scripts mixed, ${CONCURRENCY} concurrent, virtual clock`);
report.figure('ivr_sim_steps_per_s', mixed.stepsPerS, 'steps/s');
report.figure('ivr_sim_call_p99_ms', mixed.p99, 'ms', 'wall time of one simulated call (includes waiting on the pool)');
report.figure('ivr_sim_cpu_us_per_call', mixed.cpuUs, 'µs', 'process CPU time (user + system, GC included) per call of the mix');
report.figure('ivr_sim_sales_calls_per_s', sales.perS, 'calls/s', 'sales path only, through the compiled XState flow');
report.figure('ivr_sim_sales_calls_per_s.plain_async', salesPlain.perS, 'calls/s', 'same driver calls hand-written, no machine');
report.figure('ivr_sim_sales_cpu_us_per_call', sales.cpuUs, 'µs');
report.figure('ivr_sim_sales_cpu_us_per_call.plain_async', salesPlain.cpuUs, 'µs');
report.print();
