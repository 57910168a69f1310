import { EXIT } from '../exit-codes.ts';
import type { CommandGroup } from './command-context.ts';

/**
 * `switchyard flow lint|simulate|graph`: offline, run by `@switchyard/ivr`'s own flow
 * command (it owns flow loading, the linter and the simulator).
 */
export const flowCommand: CommandGroup = async (sub, rest, ctx) => {
  const ivr = (await import('@switchyard/ivr')) as Record<string, unknown>;
  const run = ivr.runFlowCommand as
    | ((argv: string[], io: { out(l: string): void; err(l: string): void }) => Promise<number>)
    | undefined;
  if (typeof run !== 'function') {
    ctx.io.err('flow commands need @switchyard/ivr to export runFlowCommand');
    return EXIT.unavailable;
  }
  return run([...(sub ? [sub] : []), ...rest], ctx.io);
};
