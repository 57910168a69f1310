/** One step of a synthetic caller: wait, press digits, or hang up. */
export type CallerStep = { kind: 'wait'; ms: number } | { kind: 'press'; digits: string } | { kind: 'hangup' };

/**
 * Parse `wait 1s; press 1; wait 2s; press 0; hangup` (waits in ms, s; digits 0-9*#A-D).
 * Throws a clear error on anything else.
 */
export function parseCallerScript(script: string): CallerStep[] {
  const steps: CallerStep[] = [];
  for (const raw of script.split(/[;\n]/)) {
    const part = raw.trim();
    if (part === '') continue;
    const [verb = '', arg = ''] = part.split(/\s+/, 2);
    if (verb === 'wait') {
      const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(arg);
      if (!m) throw new Error(`caller script: bad wait "${part}" (use e.g. "wait 1s" or "wait 500ms")`);
      steps.push({ kind: 'wait', ms: Number(m[1]) * (m[2] === 'ms' ? 1 : 1000) });
    } else if (verb === 'press') {
      if (!/^[0-9*#A-Da-d]+$/.test(arg)) throw new Error(`caller script: bad digits "${part}"`);
      steps.push({ kind: 'press', digits: arg.toUpperCase() });
    } else if (verb === 'hangup') steps.push({ kind: 'hangup' });
    else throw new Error(`caller script: unknown step "${part}" (wait|press|hangup)`);
  }
  return steps;
}
