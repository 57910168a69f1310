import { parseArgs } from './cli-args.ts';
import { startFsSim } from './fs-sim.ts';

/** CLI entry (bin/fs-sim.mjs imports this; importing it starts a simulator). */
async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const sim = await startFsSim(parsed.opts);
  process.stdout.write(`fs-sim: esl 127.0.0.1:${sim.eslPort} password ${sim.password}${sim.sipPort ? ` sip ${parsed.opts.sipHost}:${sim.sipPort}` : ''}\n`);
  if (parsed.load) {
    const run = sim.startLoad({ calls: parsed.load.calls, destination: parsed.load.dest, script: parsed.load.script });
    const t = setInterval(() => {
      const s = run.stats();
      process.stdout.write(`fs-sim load: active ${s.active} started ${s.started} ended ${s.ended} refused ${s.refused}\n`);
    }, 5000);
    t.unref();
  }
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`fs-sim: ${(err as Error).message}\n`);
  process.exit(1);
});
