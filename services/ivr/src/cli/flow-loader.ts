import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeFlow } from '../builder/define-flow.ts';
import { dataFlowToSpec } from '../data/data-flow-compiler.ts';
import { parseDataFlow } from '../data/data-flow-schema.ts';
import { compileFlow } from '../compiler/compile-flow.ts';
import type { PromptCatalogue } from '../flow/prompt-catalogue.ts';
import type { LookupPort } from '../runtime/runtime-types.ts';

/** The shipped flows package, loaded lazily so `ivr` does not depend on it at build time. */
export interface FlowLibrary {
  readonly flows: Readonly<Record<string, CodeFlow>>;
  readonly promptCatalogue: PromptCatalogue;
  readonly simulationLookups: LookupPort;
}

/** Loads `@switchyard/ivr-flows`. */
export async function loadFlowLibrary(): Promise<FlowLibrary> {
  const name = '@switchyard/ivr-flows';
  return (await import(name)) as FlowLibrary;
}

/**
 * Resolves a flow argument: a shipped flow id, a `.ts` module exporting a CodeFlow (default
 * or any named export), or a `.json` data flow (checked against the shipped catalogue).
 */
export async function loadFlowArg(arg: string, lib: FlowLibrary): Promise<CodeFlow> {
  const shipped = lib.flows[arg];
  if (shipped) return shipped;
  if (arg.endsWith('.json')) {
    const data = parseDataFlow(JSON.parse(await readFile(arg, 'utf8')));
    const spec = dataFlowToSpec(data, 1);
    return { spec, catalogue: lib.promptCatalogue, compile: () => compileFlow(spec, lib.promptCatalogue) };
  }
  if (arg.endsWith('.ts')) {
    const mod = (await import(pathToFileURL(resolve(arg)).href)) as Record<string, unknown>;
    const found = Object.values(mod).find(
      (v): v is CodeFlow => typeof v === 'object' && v !== null && 'spec' in v && 'compile' in v && 'catalogue' in v,
    );
    if (found) return found;
    throw new Error(`${arg} exports no flow (expected a defineFlow(...) result)`);
  }
  throw new Error(`unknown flow "${arg}" (shipped flows: ${Object.keys(lib.flows).join(', ')}; or pass a .ts or .json file)`);
}
