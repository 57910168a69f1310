/** What the registry needs from a session. */
export interface RegisteredSession {
  readonly callId: string;
  readonly node: string;
}

/**
 * The calls this engine drives, by FreeSWITCH Unique-ID: the O(1) event dispatch table.
 * Bounded: `add` refuses beyond `max` (the caller rejects the call politely), and every
 * session removes itself when it ends, so the map never outgrows the live calls.
 */
export class SessionRegistry<S extends RegisteredSession> {
  private readonly byId = new Map<string, S>();
  private readonly perNode = new Map<string, number>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.byId.size;
  }

  get full(): boolean {
    return this.byId.size >= this.max;
  }

  get(callId: string | undefined): S | undefined {
    return callId === undefined ? undefined : this.byId.get(callId);
  }

  has(callId: string): boolean {
    return this.byId.has(callId);
  }

  /** Adds `s`; false when full or already present. */
  add(s: S): boolean {
    if (this.full || this.byId.has(s.callId)) return false;
    this.byId.set(s.callId, s);
    this.perNode.set(s.node, (this.perNode.get(s.node) ?? 0) + 1);
    return true;
  }

  remove(s: S): void {
    if (this.byId.get(s.callId) !== s) return;
    this.byId.delete(s.callId);
    const n = (this.perNode.get(s.node) ?? 1) - 1;
    if (n <= 0) this.perNode.delete(s.node);
    else this.perNode.set(s.node, n);
  }

  /** Live calls on `node` (fleet's CallCounter). */
  countOn(node: string): number {
    return this.perNode.get(node) ?? 0;
  }

  /** Sessions on `node` (reconcile after a reconnect; O(calls), not on the event path). */
  onNode(node: string): S[] {
    const out: S[] = [];
    for (const s of this.byId.values()) if (s.node === node) out.push(s);
    return out;
  }

  all(): IterableIterator<S> {
    return this.byId.values();
  }
}
