/**
 * The DTMF probe of bench:engine, in a process of its own: a small simulated node whose few
 * callers press a key once a second, timed DTMF event → next CHANNEL_EXECUTE on this node.
 *
 * Why a second process: the simulator carrying the 10,000-call load is a Node process that
 * collects garbage every ~150 ms for 5–8 ms, and a key timed there waits out those pauses
 * too — a real FreeSWITCH has none. The probe's heap stays small, so what it times is the
 * engine (which drives the load and the probe alike over the same event loop).
 *
 *   node --import tsx bench/lib/dtmf-probe.ts <eslPort> <engine|bare> <outFile> <calls> <windowSecs> <upSecs>
 *
 * Once a client subscribed, its callers come in and press a key every second for `upSecs`
 * (so both sides are warm before anything is timed); prints `probe connected`. SIGUSR2 times
 * the keys of the next `windowSecs`, then writes their latencies (JSON array, ms) to outFile and
 * prints `probe done`. Stops on SIGTERM.
 */
import { writeFileSync } from 'node:fs';
import { sleep } from '@switchyard/core/testing';
import { startFsSim } from '@switchyard/fs-sim';
import { watchDtmf } from './dtmf-watch.ts';

const [portArg, mode, outFile, callsArg, windowArg, upArg] = process.argv.slice(2);
const calls = Number(callsArg);
const windowSecs = Number(windowArg);
const upSecs = Number(upArg);
if (!outFile || (mode !== 'engine' && mode !== 'bare') || !(calls > 0) || !(windowSecs > 0) || !(upSecs > windowSecs)) {
  console.error('usage: dtmf-probe <eslPort> <engine|bare> <outFile> <calls> <windowSecs> <upSecs>');
  process.exit(2);
}

const sim = await startFsSim({
  eslPort: Number(portArg),
  sipPort: false,
  heartbeatMs: 1000,
  hostname: 'probe',
  maxSessions: calls + 100,
  files: { 'ivr/menu.wav': 300, 'ivr/hold.wav': 600_000 },
  strictFiles: true,
  // engine: the engine answers (inbound flavour, parked); bare: the peer loop only plays.
  dialplan: [{ pattern: '^5\\d+$', actions: mode === 'bare' ? [{ app: 'answer', arg: '' }, { app: 'park', arg: '' }] : [{ app: 'park', arg: '' }] }],
});
const subscribed = mode === 'bare' ? 'DTMF' : 'CHANNEL_PARK';
while (!sim.core.bus.wants(subscribed, 'x')) await sleep(50);
let timing = false;
const w = watchDtmf(sim, () => timing);
// One key a second per caller, from half a second after the answer; then hang up.
const script = `wait 500ms; press 1${'; wait 1s; press 1'.repeat(upSecs - 1)}; wait 1s; hangup`;
sim.startLoad({ calls, totalCalls: calls, destination: '5001', script, ratePerSec: calls });
console.log('probe connected');

let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
  void sim.close().finally(() => process.exit(0));
});

process.once('SIGUSR2', async () => {
  timing = true;
  const until = Date.now() + windowSecs * 1000;
  while (!stopping && Date.now() < until) await sleep(100);
  timing = false;
  await sleep(200); // the last timed keys' commands
  writeFileSync(outFile, JSON.stringify(w.latencies));
  console.log('probe done');
});
