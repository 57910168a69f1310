/** Deep copy with every Date as an ISO string (what the response schemas declare). */
export function jsonSafe<T>(v: T): JsonSafe<T> {
  return walk(v) as JsonSafe<T>;
}

function walk(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(walk);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x);
    return out;
  }
  return v;
}

export type JsonSafe<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? JsonSafe<U>[]
    : T extends object
      ? { [K in keyof T]: JsonSafe<T[K]> }
      : T;
