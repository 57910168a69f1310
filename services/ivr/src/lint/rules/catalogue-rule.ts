import { nodePrompts } from '../../flow/flow-edges.ts';
import type { LintRule, RuleFinding } from '../lint-types.ts';

/** Every prompt is in the catalogue (preloaded on the media nodes, never fetched mid-call). */
export const promptInCatalogueRule: LintRule = {
  id: 'prompt-in-catalogue',
  check({ graph, catalogue }) {
    const f: RuleFinding[] = [];
    for (const name of graph.names) {
      for (const id of new Set(nodePrompts(graph.node(name)!))) {
        if (!Object.hasOwn(catalogue, id)) f.push({ state: name, message: `prompt "${id}" is not in the prompt catalogue` });
      }
    }
    return f;
  },
};
