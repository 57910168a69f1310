import { describe, expect, it } from 'vitest';
import { formatLintIssue, lintFlow } from '../src/index.ts';
import { badFlows, goodFlow } from './fixtures/bad-flows.ts';
import { fixtureCatalogue } from './fixtures/catalogue.ts';

describe('flow linter', () => {
  it('passes the good fixture', () => {
    expect(lintFlow({ id: 'good', version: 1, initial: 'main', states: goodFlow() }, fixtureCatalogue)).toEqual([]);
  });

  it.each(badFlows.map((b) => [b.spec.id, b] as const))('rejects %s naming the state and the rule', (_id, bad) => {
    const issues = lintFlow(bad.spec, fixtureCatalogue);
    const hit = issues.find((i) => i.rule === bad.rule && i.state === bad.state);
    expect(hit, issues.map(formatLintIssue).join('\n')).toBeDefined();
    const line = formatLintIssue(hit!);
    expect(line).toContain(`flow ${bad.spec.id}`);
    expect(line).toContain(`state "${bad.state}"`);
    expect(line).toContain(`[${bad.rule}]`);
  });

  it('covers every rule with at least one bad fixture', async () => {
    const { lintRules } = await import('../src/lint/flow-linter.ts');
    const covered = new Set(badFlows.map((b) => b.rule));
    for (const r of lintRules) expect(covered, r.id).toContain(r.id);
  });

  it('an exemption with a written reason silences the rule; without one it is itself a finding', () => {
    const states = goodFlow();
    const sub = states.sub as Extract<(typeof states)[string], { kind: 'menu' }>;
    states.sub = { ...sub, options: { '1': 'bye', '*': 'main' }, lintExempt: { 'zero-to-agent': 'self-service only line, no agents staffed' } };
    expect(lintFlow({ id: 'exempt', version: 1, initial: 'main', states }, fixtureCatalogue)).toEqual([]);
    states.sub = { ...sub, options: { '1': 'bye', '*': 'main' }, lintExempt: { 'zero-to-agent': 'no' } };
    const rules = lintFlow({ id: 'exempt', version: 1, initial: 'main', states }, fixtureCatalogue).map((i) => `${i.state}:${i.rule}`);
    expect(rules).toEqual(['sub:exemption-reason', 'sub:zero-to-agent']);
  });
});
