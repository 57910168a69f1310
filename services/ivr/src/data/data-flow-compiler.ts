import { nodeEdges } from '../flow/flow-edges.ts';
import type { FlowNode, FlowSpec, LintRuleId } from '../flow/flow-spec.ts';
import type { DataAction, DataFlow, DataMenu } from './data-flow-schema.ts';

const AGENT = 'agent';

function keyName(digits: string): string {
  return digits.replace(/\*/g, 'star').replace(/#/g, 'hash');
}

/**
 * Turns a validated data flow into the common FlowSpec. Menus become `menu` states named
 * by their id; actions behind keys become generated states `x_<menu>_<key>_<n>`; `back`
 * goes to the menu's parent; `agent` goes to one shared transfer state.
 *
 * @example
 * const spec = dataFlowToSpec(parseDataFlow(json), 3);
 */
export function dataFlowToSpec(flow: DataFlow, version: number): FlowSpec {
  const states: Record<string, FlowNode> = {};
  states[AGENT] = { kind: 'transfer', target: flow.agent, disposition: 'agent' };

  // Emits the states for `action`, returns the name of the first one.
  const emit = (action: DataAction, menu: DataMenu | null, prefix: string): string => {
    let n = 0;
    const fresh = () => `${prefix}_${++n}`;
    const walk = (a: DataAction): string => {
      switch (a.type) {
        case 'menu':
          return a.menu;
        case 'back':
          return menu?.parentMenuId ?? flow.entry;
        case 'agent':
          return AGENT;
        case 'transfer': {
          const s = fresh();
          states[s] = { kind: 'transfer', target: a.target };
          return s;
        }
        case 'hangup': {
          const s = fresh();
          states[s] = { kind: 'hangup', disposition: a.disposition };
          if (!a.prompts?.length) return s;
          const p = fresh();
          states[p] = { kind: 'play', prompts: a.prompts, next: s };
          return p;
        }
        case 'play': {
          const s = fresh();
          const next = walk(a.next);
          states[s] = { kind: 'play', prompts: a.prompts, bargeIn: true, next };
          return s;
        }
        case 'lookup': {
          const s = fresh();
          const thenState = walk(a.next);
          const fallback = walk(a.fallback);
          let next = thenState;
          if (a.say) {
            next = fresh();
            states[next] = { kind: 'say', as: a.say.as, value: a.say.value, next: thenState };
          }
          states[s] = { kind: 'lookup', name: a.name, args: a.args, timeoutMs: a.timeoutMs, irreversible: a.irreversible, next, fallback };
          return s;
        }
      }
    };
    return walk(action);
  };

  for (const m of flow.menus) {
    const options: Record<string, string> = {};
    for (const o of m.options) options[o.digits] = emit(o.action, m, `x_${m.id}_${keyName(o.digits)}`);
    states[m.id] = {
      kind: 'menu',
      prompt: [m.prompt],
      invalidPrompt: m.invalidPrompt ? [m.invalidPrompt] : undefined,
      minDigits: m.minDigits,
      maxDigits: m.maxDigits,
      terminator: m.terminator,
      interDigitTimeoutMs: m.interDigitTimeoutMs,
      noInputTimeoutMs: m.noInputTimeoutMs,
      maxRetries: m.maxRetries,
      options,
      onExhausted: m.onExhausted ? emit(m.onExhausted, m, `x_${m.id}_exhausted`) : AGENT,
      confirm: m.confirm,
      lintExempt: m.lintExempt as Partial<Record<LintRuleId, string>> | undefined,
    };
  }

  let initial = flow.entry;
  if (flow.welcomePrompts?.length) {
    states.x_welcome = { kind: 'play', prompts: flow.welcomePrompts, bargeIn: true, next: flow.entry };
    initial = 'x_welcome';
  }
  if (flow.hours) {
    const h = flow.hours;
    states.closed = { kind: 'play', prompts: h.closedPrompts, next: emit(h.closedAction, null, 'x_closed') };
    states.start = {
      kind: 'branch',
      cases: [{ when: { type: 'timeOfDay', tz: h.tz, days: h.days, open: h.open, close: h.close }, target: initial }],
      otherwise: 'closed',
    };
    initial = 'start';
  }
  // The shared agent state exists only if something goes there (else it would be unreachable).
  const used = Object.values(states).some((n) => nodeEdges(n).some((e) => e.target === AGENT));
  if (!used) delete states[AGENT];
  return { id: flow.id, version, name: flow.name, initial, states };
}
