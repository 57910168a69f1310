import { parseArgs, UsageError } from './args.ts';
import { callsCommand, kpisCommand, USAGE_CALLS, USAGE_KPIS } from './commands/calls-command.ts';
import { campaignCommand, USAGE_CAMPAIGN } from './commands/campaign-command.ts';
import type { CommandContext, CommandGroup, Io } from './commands/command-context.ts';
import { allowCommand, banCommand, pikeCommand, USAGE_ALLOW, USAGE_BAN } from './commands/edge-command.ts';
import { flowCommand } from './commands/flow-command.ts';
import { nodesCommand, USAGE_NODES } from './commands/nodes-command.ts';
import { tokenCommand, USAGE_TOKEN, whoamiCommand } from './commands/token-command.ts';
import { EXIT } from './exit-codes.ts';
import { ApiCallError, ApiClient } from './http/api-client.ts';

const GROUPS: Record<string, CommandGroup> = {
  nodes: nodesCommand,
  allow: allowCommand,
  ban: banCommand,
  pike: pikeCommand,
  campaign: campaignCommand,
  calls: callsCommand,
  kpis: kpisCommand,
  token: tokenCommand,
  whoami: whoamiCommand,
};

export const USAGE = `usage: switchyard <command> [--api URL] [--token TOKEN] [--json]
  (or SWITCHYARD_API_URL, SWITCHYARD_TOKEN; default API http://127.0.0.1:8080)

${USAGE_NODES}
${USAGE_ALLOW}
${USAGE_BAN}
${USAGE_CAMPAIGN}
switchyard flow lint|simulate|graph ...   offline, see \`switchyard flow help\`
${USAGE_CALLS}
${USAGE_KPIS}
${USAGE_TOKEN}

exit codes: 0 ok, 1 findings (lint, rejected rows), 2 usage, 3 auth, 4 not found,
            5 conflict, 6 invalid input, 7 API unavailable, 8 rate limited`;

const consoleIo: Io = {
  out: (s) => process.stdout.write(`${s}\n`),
  err: (s) => process.stderr.write(`${s}\n`),
  errIsTTY: process.stderr.isTTY,
};

/**
 * Runs one `switchyard` invocation and returns its exit code.
 *
 * @example
 * process.exitCode = await main(['nodes', 'list', '--json']);
 */
export async function main(argv: string[], io: Io = consoleIo, env: Record<string, string | undefined> = process.env): Promise<number> {
  const [group, ...tail] = argv;
  // The flow command parses its own arguments (it lives in @switchyard/ivr).
  if (group === 'flow') return runGroup(flowCommand, tail[0], tail.slice(1), { args: { positional: [], options: {} }, io, env });
  const args = parseArgs(tail);
  if (!group || group === 'help' || args.options.help || !GROUPS[group]) {
    (group && group !== 'help' && !args.options.help ? io.err : io.out)(USAGE);
    return group && group !== 'help' && !args.options.help ? EXIT.usage : EXIT.ok;
  }
  const [sub, ...rest] = args.positional;
  return runGroup(GROUPS[group], sub, rest, { args, io, env });
}

async function runGroup(
  cmd: CommandGroup,
  sub: string | undefined,
  rest: string[],
  base: Pick<CommandContext, 'args' | 'io' | 'env'>,
): Promise<number> {
  const { args, io, env } = base;
  const token = (typeof args.options.token === 'string' ? args.options.token : undefined) ?? env.SWITCHYARD_TOKEN;
  const baseUrl = (typeof args.options.api === 'string' ? args.options.api : undefined) ?? env.SWITCHYARD_API_URL ?? 'http://127.0.0.1:8080';
  const ctx: CommandContext = { args, io, env, json: args.options.json === true, api: new ApiClient({ baseUrl, token }) };
  try {
    return await cmd(sub, rest, ctx);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(err.message);
      return EXIT.usage;
    }
    if (err instanceof ApiCallError) {
      io.err(`error: ${err.message}`);
      for (const f of err.fields) io.err(`  ${f.path}: ${f.message}`);
      return err.exitCode;
    }
    io.err(`error: ${(err as Error).message ?? String(err)}`);
    return EXIT.unavailable;
  }
}
