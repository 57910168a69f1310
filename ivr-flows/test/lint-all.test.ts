import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CodeFlow, formatLintIssue, lintFlow } from '@switchyard/ivr';
import { describe, expect, it } from 'vitest';
import { flows } from '../index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// Every flow module in ivr-flows/, found on disk so a new flow cannot skip the linter.
async function flowsOnDisk(): Promise<CodeFlow[]> {
  const found: CodeFlow[] = [];
  for (const f of readdirSync(root).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts') && n !== 'index.ts')) {
    const mod = (await import(join(root, f))) as Record<string, unknown>;
    for (const v of Object.values(mod)) {
      if (typeof v === 'object' && v !== null && 'spec' in v && 'compile' in v) found.push(v as CodeFlow);
    }
  }
  return found;
}

describe('every shipped flow passes the linter', () => {
  it('finds the flows on disk and they are all registered in index.ts', async () => {
    const disk = await flowsOnDisk();
    expect(disk.map((f) => f.spec.id).sort()).toEqual(Object.keys(flows).sort());
    expect(disk.length).toBeGreaterThanOrEqual(2);
  });

  it.each(Object.keys(flows))('%s lints clean and compiles', (id) => {
    const flow = flows[id]!;
    expect(lintFlow(flow.spec, flow.catalogue).map(formatLintIssue)).toEqual([]);
    expect(flow.compile().id).toBe(id);
  });
});
