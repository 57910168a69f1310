/**
 * Least-loaded node choice: the node with the fewest of this dialer's calls in flight per
 * unit of weight. Counts are this process's own (several dialers each balance their share).
 */
export class NodePicker {
  private nodes: { name: string; weight: number }[] = [];
  private readonly inFlight = new Map<string, number>();

  /** Replaces the node list; counts for vanished nodes are kept until their calls end. */
  setNodes(nodes: { name: string; weight: number }[]): void {
    this.nodes = nodes.filter((n) => n.weight > 0);
  }

  get size(): number {
    return this.nodes.length;
  }

  /** Picks and counts a call on the least-loaded node; null when no node is ready. */
  pick(): string | null {
    let best: string | null = null;
    let bestLoad = Number.POSITIVE_INFINITY;
    for (const n of this.nodes) {
      const load = (this.inFlight.get(n.name) ?? 0) / n.weight;
      if (load < bestLoad) {
        best = n.name;
        bestLoad = load;
      }
    }
    if (best !== null) this.inFlight.set(best, (this.inFlight.get(best) ?? 0) + 1);
    return best;
  }

  /** Counts a call on a known node (recovery adopts live calls). */
  add(node: string): void {
    this.inFlight.set(node, (this.inFlight.get(node) ?? 0) + 1);
  }

  release(node: string): void {
    const n = (this.inFlight.get(node) ?? 0) - 1;
    if (n > 0) this.inFlight.set(node, n);
    else this.inFlight.delete(node); // the map holds only nodes with calls: bounded
  }

  load(node: string): number {
    return this.inFlight.get(node) ?? 0;
  }
}
