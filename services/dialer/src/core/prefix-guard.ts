/**
 * Toll-fraud guard: a number may be dialled only if its E.164 form starts with one of the
 * campaign's allowed prefixes. Default-deny: an empty list allows nothing.
 *
 * @example
 * isAllowedDestination('+442079460000', ['+44']); // true
 */
export function isAllowedDestination(e164: string, allowedPrefixes: readonly string[]): boolean {
  if (!/^\+[1-9]\d{6,14}$/.test(e164)) return false;
  for (const p of allowedPrefixes) {
    const norm = normalisePrefix(p);
    if (norm && e164.startsWith(norm)) return true;
  }
  return false;
}

/** `44`, `+44`, ` +44 20 ` → `+4420`; null when not a plausible prefix. */
export function normalisePrefix(p: string): string | null {
  const digits = p.replace(/[\s\-()]/g, '').replace(/^\+/, '');
  return /^[1-9]\d{0,14}$/.test(digits) ? `+${digits}` : null;
}
