/** One destination as Kamailio's dispatcher sees it right now. */
export interface DispatcherTarget {
  setId: number;
  uri: string;
  /** First letter of FLAGS: A active, I inactive, D disabled, T trying (probe failing). */
  state: 'active' | 'inactive' | 'disabled' | 'trying';
  /** Second letter of FLAGS is P. */
  probing: boolean;
  /** Raw FLAGS, e.g. "AP". */
  flags: string;
  attrs: string;
}

const STATES: Record<string, DispatcherTarget['state']> = { A: 'active', I: 'inactive', D: 'disabled', T: 'trying' };

/**
 * Flattens a `dispatcher.list` result. Pure; tolerates an empty list (Kamailio answers
 * `{}` or an error when no set is loaded).
 *
 * @example
 * parseDispatcherList({ NRSETS: 1, RECORDS: [{ SET: { ID: 1, TARGETS: [{ DEST: { URI: 'sip:a', FLAGS: 'AP' } }] } }] });
 */
export function parseDispatcherList(result: unknown): DispatcherTarget[] {
  const out: DispatcherTarget[] = [];
  const records = (result as { RECORDS?: unknown })?.RECORDS;
  if (!Array.isArray(records)) return out;
  for (const rec of records) {
    const set = (rec as { SET?: { ID?: unknown; TARGETS?: unknown } }).SET;
    if (!set || typeof set.ID !== 'number' || !Array.isArray(set.TARGETS)) continue;
    for (const t of set.TARGETS) {
      const d = (t as { DEST?: { URI?: unknown; FLAGS?: unknown; ATTRS?: { BODY?: unknown } } }).DEST;
      if (!d || typeof d.URI !== 'string' || typeof d.FLAGS !== 'string') continue;
      out.push({
        setId: set.ID,
        uri: d.URI,
        state: STATES[d.FLAGS[0] ?? ''] ?? 'inactive',
        probing: d.FLAGS[1] === 'P',
        flags: d.FLAGS,
        attrs: typeof d.ATTRS?.BODY === 'string' ? d.ATTRS.BODY : '',
      });
    }
  }
  return out;
}
