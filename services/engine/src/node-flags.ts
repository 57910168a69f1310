/**
 * V8 flags the engine's node runs with: `npm start`, compose.yaml (NODE_OPTIONS) and
 * bench:engine all use these.
 *
 * `--max-semi-space-size=8`: a young generation of at most 8 MB per semi-space instead of
 * V8's 16 MB. Every young-generation collection pauses the event loop, and a caller's key
 * that arrives during one waits it out; with the smaller space they come more often but each
 * copies less. At 10,000 calls, bench:engine's DTMF p99 was 3.6–5.6 ms over sixteen runs
 * (median 4.5) against 4.0–6.4 ms over seven with the default (median 5.4), for the same CPU
 * per call (bench/README.md); 4 and 6 MB did no better.
 */
export const ENGINE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
