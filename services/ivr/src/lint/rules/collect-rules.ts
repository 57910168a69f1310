import type { CollectSettings, FlowNode } from '../../flow/flow-spec.ts';
import { isCollect, reachesExitDirectly } from '../flow-graph.ts';
import type { LintInput, LintRule, RuleFinding } from '../lint-types.ts';

/** The most retries a prompt may have; beyond this callers are better served by a person. */
export const MAX_RETRIES = 5;

function collectStates(input: LintInput): [string, CollectSettings & FlowNode][] {
  const out: [string, CollectSettings & FlowNode][] = [];
  for (const name of input.graph.names) {
    const n = input.graph.node(name)!;
    if (n.kind === 'menu' || n.kind === 'gather') out.push([name, n]);
  }
  return out;
}

/** A prompt that waits for keys must say how long: no-input and inter-digit timeouts. */
export const promptTimeoutsRule: LintRule = {
  id: 'prompt-timeouts',
  check(input) {
    const f: RuleFinding[] = [];
    for (const [state, n] of collectStates(input)) {
      const missing = [
        n.noInputTimeoutMs === undefined ? 'noInputTimeoutMs' : null,
        n.interDigitTimeoutMs === undefined ? 'interDigitTimeoutMs' : null,
      ].filter((x) => x !== null);
      if (missing.length > 0) f.push({ state, message: `prompt has no ${missing.join(' and ')}; set both explicitly` });
      for (const k of ['noInputTimeoutMs', 'interDigitTimeoutMs'] as const) {
        const v = n[k];
        if (v !== undefined && (!Number.isFinite(v) || v <= 0 || v > 60_000)) f.push({ state, message: `${k} ${v} must be between 1 and 60000 ms` });
      }
    }
    return f;
  },
};

/** Retries are counted and small. */
export const boundedRetriesRule: LintRule = {
  id: 'bounded-retries',
  check(input) {
    const f: RuleFinding[] = [];
    for (const [state, n] of collectStates(input)) {
      const r = n.maxRetries;
      if (r === undefined) f.push({ state, message: `maxRetries is not set; set a bound between 0 and ${MAX_RETRIES}` });
      else if (!Number.isInteger(r) || r < 0 || r > MAX_RETRIES) f.push({ state, message: `maxRetries ${r} is unbounded or too high (0..${MAX_RETRIES})` });
    }
    return f;
  },
};

/** When retries run out, the caller reaches an exit (agent, or a sane default) without being asked again. */
export const retriesExitRule: LintRule = {
  id: 'retries-exit',
  check({ graph }) {
    const f: RuleFinding[] = [];
    for (const name of graph.names) {
      const n = graph.node(name)!;
      if (n.kind !== 'menu' && n.kind !== 'gather') continue;
      const t = n.onExhausted;
      if (t === name) f.push({ state: name, message: 'onExhausted loops back to the same prompt; send the caller to an agent or a sane default' });
      else if (graph.node(t) && (isCollect(graph.node(t)) || !reachesExitDirectly(graph, t))) {
        f.push({ state: name, message: `onExhausted "${t}" does not reach an exit (transfer, bridge or hangup) without prompting again` });
      }
    }
    return f;
  },
};
