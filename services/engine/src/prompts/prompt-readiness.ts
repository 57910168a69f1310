import type { FlowSpec, PromptCatalogue } from '@switchyard/ivr';

/** A node the check asks (the node manager's links fit). */
export interface PromptCheckNode {
  readonly node: string;
  readonly up: boolean;
  api(cmd: string): Promise<string>;
}

/** One prompt file missing (or not checkable) on one node. */
export interface MissingPrompt {
  readonly node: string;
  readonly file: string;
  readonly reason: 'missing' | 'node-unreachable' | 'not-in-catalogue';
}

/** Publishing refused: names every node and file that is not ready. */
export class PromptsNotReadyError extends Error {
  override readonly name = 'PromptsNotReadyError';
  constructor(readonly missing: readonly MissingPrompt[]) {
    super(
      `prompts not ready: ${missing
        .slice(0, 20)
        .map((m) => `${m.file} on ${m.node} (${m.reason})`)
        .join('; ')}${missing.length > 20 ? `; and ${missing.length - 20} more` : ''}`,
    );
  }
}

const PROMPT_FIELDS = ['prompts', 'prompt', 'invalidPrompt', 'noInputPrompt'] as const;

/** Every prompt id a flow can play (pure). */
export function flowPromptIds(spec: FlowSpec): string[] {
  const ids = new Set<string>();
  for (const node of Object.values(spec.states) as unknown as Record<string, unknown>[]) {
    for (const f of PROMPT_FIELDS) {
      const v = node[f];
      if (Array.isArray(v)) for (const id of v) if (typeof id === 'string') ids.add(id);
    }
  }
  return [...ids].sort();
}

/**
 * Checks, before a flow version goes live, that every prompt it plays exists on every
 * active node (`api file_exists`), so no audio is ever fetched mid-call. A node that
 * cannot be asked counts as not ready. Resolves the problems (empty = ready).
 *
 * @example
 * const missing = await checkFlowPrompts(spec, catalogue, nodes.links(), '/usr/share/freeswitch/sounds/');
 * if (missing.length) throw new PromptsNotReadyError(missing);
 */
export async function checkFlowPrompts(
  spec: FlowSpec,
  catalogue: PromptCatalogue,
  nodes: readonly PromptCheckNode[],
  baseDir = '',
): Promise<MissingPrompt[]> {
  const missing: MissingPrompt[] = [];
  const files: string[] = [];
  for (const id of flowPromptIds(spec)) {
    const m = catalogue[id];
    if (!m) missing.push({ node: '*', file: id, reason: 'not-in-catalogue' });
    else files.push(m.file.startsWith('/') || /^[a-z_]+:\/\//.test(m.file) ? m.file : baseDir + m.file);
  }
  await Promise.all(
    nodes.map(async (n) => {
      if (!n.up) {
        missing.push({ node: n.node, file: '*', reason: 'node-unreachable' });
        return;
      }
      for (const file of files) {
        if (/^[a-z_]+:\/\//.test(file)) continue; // tone_stream:// and friends are generated, not files
        const r = await n.api(`file_exists ${file}`).catch(() => null);
        if (r === null) missing.push({ node: n.node, file, reason: 'node-unreachable' });
        else if (r.trim() !== 'true') missing.push({ node: n.node, file, reason: 'missing' });
      }
    }),
  );
  return missing;
}
