import { createDb } from '@switchyard/core';
import { DEFAULT_PORTS } from './start/platform-ports.ts';
import { ivrPath, placeSippCall, waitCallRecord } from './start/test-call.ts';

// `npm run call -- --to 1000 --dtmf 1,0 [--edge 127.0.0.1:5060] [--first-ms 4500] [--gap-ms 2500] [--hold-ms 10000]`
// Places one SIPp call through Kamailio into the IVR (platform from `npm start`), then
// prints the IVR path and the call-log row once the recorder has written them.
const USAGE = 'usage: npm run call -- --to <DID> [--dtmf 1,0] [--edge host:port] [--first-ms N] [--gap-ms N] [--hold-ms N]';

function parse(argv: string[]) {
  const o = { to: '', dtmf: [] as string[], edge: `127.0.0.1:${DEFAULT_PORTS.kamailioSip}`, first: 4_500, gap: 2_500, hold: 10_000 };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    const num = () => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new Error(`${argv[i]} needs a number of ms`);
      i++;
      return n;
    };
    switch (argv[i]) {
      case '--to': o.to = v ?? ''; i++; break;
      case '--dtmf': o.dtmf = (v ?? '').split(',').map((d) => d.trim()).filter(Boolean); i++; break;
      case '--edge': o.edge = v ?? ''; i++; break;
      case '--first-ms': o.first = num(); break;
      case '--gap-ms': o.gap = num(); break;
      case '--hold-ms': o.hold = num(); break;
      default: throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
    }
  }
  if (!/^\+?[0-9*#]{1,32}$/.test(o.to)) throw new Error(`--to needs a DID\n${USAGE}`);
  if (!/^127\.\d+\.\d+\.\d+:\d+$/.test(o.edge)) throw new Error('--edge must be a loopback host:port');
  return o;
}

async function main(): Promise<number> {
  const o = parse(process.argv.slice(2));
  process.stdout.write(`calling ${o.to} via ${o.edge}, DTMF ${o.dtmf.join(',') || '(none)'}…\n`);
  const call = await placeSippCall({ edge: o.edge, to: o.to, dtmf: o.dtmf, firstDigitMs: o.first, digitGapMs: o.gap, holdMs: o.hold });
  if (!call.ok) process.stdout.write(`SIPp reported a failure:\n${call.output.slice(-1_500)}\n`);
  const db = createDb(process.env.DATABASE_URL ?? 'postgres://switchyard:switchyard@127.0.0.1:5432/switchyard', { max: 1 });
  try {
    const rec = await waitCallRecord(db, call.caller, call.startedAt, 20_000);
    if (!rec) {
      process.stdout.write(`no finished call-log row for caller ${call.caller} within 20 s (is \`npm start\` running?)\n`);
      return 1;
    }
    process.stdout.write(`\nIVR path: ${ivrPath(rec).join(' → ')}\n`);
    for (const s of rec.steps) process.stdout.write(`  #${s.seq} ${s.kind.padEnd(8)} ${s.state.padEnd(16)} ${JSON.stringify(s.detail)}\n`);
    process.stdout.write('\ncall log (call_legs):\n');
    for (const l of rec.legs) {
      const row = {
        leg_id: l.leg_id, direction: l.direction, caller: l.caller, did: l.did, node: l.node, flow: l.flow_id,
        answered_at: l.answered_at, ended_at: l.ended_at, hangup_cause: l.hangup_cause, disposition: l.disposition,
        transferred_to: l.transferred_to, ivr_last_state: l.ivr_last_state, total_ms: l.total_ms,
      };
      process.stdout.write(`${JSON.stringify(row, null, 2)}\n`);
    }
    return call.ok ? 0 : 1;
  } finally {
    await db.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`call: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
