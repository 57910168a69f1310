import { DrillHarness, formatResult, type DrillResult } from './drill-harness.ts';
import { drills } from './drills.ts';

// `npm run drills [-- --only "kill -9 engine,redis"]`: fault drills against a private
// platform (free loopback ports, its own database, Postgres/Redis/ESL behind TCP proxies).
async function main(): Promise<number> {
  const i = process.argv.indexOf('--only');
  const only = i >= 0 ? (process.argv[i + 1] ?? '').split(',').map((s) => s.trim().toLowerCase()) : null;
  const chosen = only ? drills.filter((d) => only.some((o) => d.name.toLowerCase().includes(o))) : drills;
  if (chosen.length === 0) throw new Error(`no drill matches ${process.argv[i + 1]}; drills: ${drills.map((d) => d.name).join(', ')}`);
  const h = new DrillHarness();
  const results: DrillResult[] = [];
  process.stdout.write('[drills] starting a private platform…\n');
  try {
    await h.start();
    for (const d of chosen) {
      process.stdout.write(`[drills] ${d.name}…\n`);
      const r = await d.run(h).catch((err: unknown) => ({
        name: d.name, pass: false, attempted: 0, completed: 0, failed: 0, logged: 0, note: `error: ${err instanceof Error ? err.message : String(err)}`,
      }));
      results.push(r);
      process.stdout.write(`${formatResult(r)}\n`);
    }
  } finally {
    await h.stop().catch(() => {});
  }
  const failed = results.filter((r) => !r.pass).length;
  process.stdout.write(`\n[drills] ${results.length - failed}/${results.length} passed\n`);
  for (const r of results) process.stdout.write(`${formatResult(r)}\n`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`drills: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
