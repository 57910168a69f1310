/** One caller action in a simulation script. */
export type ScriptStep =
  | { readonly op: 'wait'; readonly ms: number }
  | { readonly op: 'press'; readonly digits: string }
  | { readonly op: 'hangup' };

/** A script that does not parse; the message names the step and what is wrong. */
export class ScriptParseError extends Error {
  override readonly name = 'ScriptParseError';
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/**
 * Parses `wait 2s; press 1; wait 6s; press 0; hangup` (steps split on `;` or newlines;
 * durations in ms, s or m; `press` takes one or more of 0-9 * #).
 *
 * @example
 * parseScript('wait 2s; press 1') // [{ op: 'wait', ms: 2000 }, { op: 'press', digits: '1' }]
 */
export function parseScript(text: string): ScriptStep[] {
  const steps: ScriptStep[] = [];
  const parts = text
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  parts.forEach((part, i) => {
    const where = `step ${i + 1} ("${part}")`;
    const [verb, arg, extra] = part.split(/\s+/);
    if (extra !== undefined) throw new ScriptParseError(`${where}: too many words`);
    if (verb === 'wait') {
      const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(arg ?? '');
      if (!m) throw new ScriptParseError(`${where}: wait needs a duration like 500ms, 2s or 1m`);
      steps.push({ op: 'wait', ms: Math.round(Number(m[1]) * UNIT_MS[m[2]!]!) });
    } else if (verb === 'press') {
      if (!arg || !/^[0-9*#]+$/.test(arg)) throw new ScriptParseError(`${where}: press needs keys from 0-9 * #`);
      steps.push({ op: 'press', digits: arg });
    } else if (verb === 'hangup') {
      if (arg !== undefined) throw new ScriptParseError(`${where}: hangup takes no argument`);
      steps.push({ op: 'hangup' });
    } else {
      throw new ScriptParseError(`${where}: unknown action "${verb}" (use wait, press, hangup)`);
    }
  });
  return steps;
}
