/** ESL health of a node as the engine sees it (implemented by the engine's node manager). */
export interface EslHealthSource {
  isEslUp(nodeName: string): boolean;
}

/** In-flight calls on a node (implemented by the engine); drains finish at zero. */
export interface CallCounter {
  inFlightCalls(nodeName: string): number;
}
