import type { PromptMedia } from '../channel-driver.ts';

/** Prompt ids → media. Prompts are preloaded on media nodes, never fetched mid-call. */
export type PromptCatalogue = Readonly<Record<string, Omit<PromptMedia, 'id'>>>;

/** Resolves catalogue ids to media; unknown ids (the linter rejects them) get a zero-length stand-in. */
export function resolvePrompts(catalogue: PromptCatalogue, ids: readonly string[]): PromptMedia[] {
  return ids.map((id) => {
    const m = catalogue[id];
    return m ? { id, file: m.file, durationMs: m.durationMs } : { id, file: `ivr/${id}.wav`, durationMs: 0 };
  });
}
