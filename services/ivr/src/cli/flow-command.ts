import { flowToMermaid } from '../graph/mermaid.ts';
import { formatLintIssue, lintFlow } from '../lint/flow-linter.ts';
import { simulateFlow } from '../sim/simulate-flow.ts';
import { type FlowLibrary, loadFlowArg, loadFlowLibrary } from './flow-loader.ts';

/** Where the command writes; tests capture it. */
export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
}

const consoleIo: CommandIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

const USAGE = `usage: switchyard flow <command>
  lint [flow...]                          lint the given flows (ids, .ts or .json), or every shipped flow
  simulate <flow> --script "wait 2s; press 1" [--at 2026-01-05T19:00:00Z] [--from +44...] [--to +44...]
  graph <flow>                            print the flow as a Mermaid state diagram`;

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function lintCommand(args: string[], lib: FlowLibrary, io: CommandIo): Promise<number> {
  const targets = args.length > 0 ? args : Object.keys(lib.flows);
  let failures = 0;
  for (const t of targets) {
    const flow = await loadFlowArg(t, lib);
    const issues = lintFlow(flow.spec, flow.catalogue);
    if (issues.length === 0) io.out(`ok   ${flow.spec.id} (${Object.keys(flow.spec.states).length} states)`);
    for (const i of issues) io.err(formatLintIssue(i));
    failures += issues.length;
  }
  if (failures > 0) io.err(`${failures} lint finding(s)`);
  return failures > 0 ? 1 : 0;
}

async function simulateCommand(args: string[], lib: FlowLibrary, io: CommandIo): Promise<number> {
  const name = args[0];
  const script = option(args, '--script');
  if (!name || name.startsWith('--') || script === undefined) {
    io.err(USAGE);
    return 2;
  }
  const at = option(args, '--at');
  const startAt = at === undefined ? undefined : Date.parse(at);
  if (startAt !== undefined && Number.isNaN(startAt)) {
    io.err(`--at "${at}" is not an ISO date-time`);
    return 2;
  }
  const flow = (await loadFlowArg(name, lib)).compile();
  const call = { from: option(args, '--from') ?? '+441632960001', to: option(args, '--to') ?? '+441632960100' };
  const r = await simulateFlow(flow, { script, startAt, lookups: lib.simulationLookups, call });
  for (const line of r.transcript) io.out(line);
  io.out(`path: ${r.path.join(' -> ')}`);
  io.out(`disposition: ${r.outcome.disposition} (${r.outcome.end})`);
  return 0;
}

/**
 * The `switchyard flow ...` command (the CLI mounts it; also `npx tsx services/ivr/src/cli/main.ts flow ...`).
 * Returns the exit code: 0 ok, 1 lint findings, 2 usage or input error.
 *
 * @example
 * process.exitCode = await runFlowCommand(['simulate', 'main-menu', '--script', 'wait 2s; press 1']);
 */
export async function runFlowCommand(argv: string[], io: CommandIo = consoleIo): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    const lib = await loadFlowLibrary();
    switch (cmd) {
      case 'lint':
        return await lintCommand(rest, lib, io);
      case 'simulate':
        return await simulateCommand(rest, lib, io);
      case 'graph': {
        if (!rest[0]) break;
        io.out(flowToMermaid((await loadFlowArg(rest[0], lib)).spec));
        return 0;
      }
    }
  } catch (err) {
    io.err(err instanceof Error ? err.message : String(err));
    return 2;
  }
  io.err(USAGE);
  return 2;
}
