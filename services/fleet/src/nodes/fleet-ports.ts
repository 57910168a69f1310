/**
 * ESL health of a node as the engine sees it (implemented by the engine's node manager).
 * `null` means unknown (the health source is unreachable or has not answered yet): the
 * fleet then keeps the node's state, because unknown is not down.
 */
export interface EslHealthSource {
  isEslUp(nodeName: string): boolean | null;
}

/** In-flight calls on a node (implemented by the engine); drains finish at zero. */
export interface CallCounter {
  inFlightCalls(nodeName: string): number;
}
