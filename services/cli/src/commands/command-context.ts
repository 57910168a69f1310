import type { Args } from '../args.ts';
import type { ApiClient } from '../http/api-client.ts';

/** Where output goes (tests capture it). */
export interface Io {
  out(s: string): void;
  err(s: string): void;
  /** True when stderr is a terminal (progress bars redraw in place). */
  errIsTTY?: boolean;
}

/** What every command gets. */
export interface CommandContext {
  args: Args;
  api: ApiClient;
  io: Io;
  json: boolean;
  env: Record<string, string | undefined>;
}

/** One command group (`nodes`, `campaign`, ...): returns the exit code. */
export type CommandGroup = (sub: string | undefined, rest: string[], ctx: CommandContext) => Promise<number>;

/** Prints `data` as JSON with `--json`, else as `human(data)`. */
export function print(ctx: CommandContext, data: unknown, human: () => string): void {
  ctx.io.out(ctx.json ? JSON.stringify(data, null, 2) : human());
}
