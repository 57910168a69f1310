/** Parsed command line: positionals and `--name value` / `--flag` options. */
export interface Args {
  positional: string[];
  options: Record<string, string | true>;
}

/** Splits argv; options listed in `booleans` take no value. `--x=y` works too. */
export function parseArgs(argv: string[], booleans: readonly string[] = ['json', 'help', 'force', 'db', 'follow']): Args {
  const positional: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--') || a === '--') {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq > 0 ? eq : undefined);
    if (eq > 0) options[name] = a.slice(eq + 1);
    else if (booleans.includes(name) || i + 1 >= argv.length || argv[i + 1]!.startsWith('--')) options[name] = true;
    else options[name] = argv[++i]!;
  }
  return { positional, options };
}

/** Thrown for a usage mistake; the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A string option (throws UsageError when required and missing). */
export function opt(a: Args, name: string, required: true): string;
export function opt(a: Args, name: string, required?: false): string | undefined;
export function opt(a: Args, name: string, required = false): string | undefined {
  const v = a.options[name];
  if (v === true) throw new UsageError(`--${name} needs a value`);
  if (v === undefined && required) throw new UsageError(`--${name} is required`);
  return v;
}

/** An integer option. */
export function intOpt(a: Args, name: string): number | undefined {
  const v = opt(a, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new UsageError(`--${name} must be an integer`);
  return n;
}
