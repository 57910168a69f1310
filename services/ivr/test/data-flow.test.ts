import { describe, expect, it } from 'vitest';
import { compileFlow, DataFlowValidationError, dataFlowToSpec, lintFlow, formatLintIssue, parseDataFlow, simulateFlow } from '../src/index.ts';
import { fixtureCatalogue } from './fixtures/catalogue.ts';
import { dataFlowFixture } from './fixtures/data-flow.ts';

function problems(raw: unknown): string[] {
  try {
    parseDataFlow(raw);
  } catch (err) {
    if (err instanceof DataFlowValidationError) return [...err.problems];
    throw err;
  }
  return [];
}

describe('data-authored flows', () => {
  it('validation errors name the field', () => {
    const bad = dataFlowFixture() as Record<string, unknown> & { menus: Record<string, unknown>[] };
    (bad.menus[1]!.options as { digits: string }[])[0]!.digits = '1x';
    bad.menus[0]!.interDigitTimeoutMs = -5;
    bad.entry = 'nowhere';
    const p = problems(bad);
    expect(p).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^menus\[1\]\.options\[0\]\.digits: must be 1-8 keys/),
        expect.stringMatching(/^menus\[0\]\.interDigitTimeoutMs: /),
      ]),
    );
    expect(problems({ ...dataFlowFixture(), entry: 'nowhere' })).toEqual(['entry: no menu "nowhere"']);
    expect(problems({ ...dataFlowFixture(), agent: { kind: 'sip', uri: 'http://x' } })).toEqual(['agent.uri: must be a sip: URI']);
    expect(problems('nope')[0]).toMatch(/^\(root\): /);
  });

  it('compiles to the same form as code flows, lints clean and runs', async () => {
    const spec = dataFlowToSpec(parseDataFlow(dataFlowFixture()), 3);
    expect(lintFlow(spec, fixtureCatalogue).map(formatLintIssue)).toEqual([]);
    const flow = compileFlow(spec, fixtureCatalogue);
    const back = await simulateFlow(flow, { script: 'wait 500ms; press 2; wait 1s; press *; wait 1s; press 1' });
    expect(back.path).toEqual(['x_welcome', 'main', 'sub', 'main', 'x_main_1_1']);
    expect(back.outcome).toMatchObject({ flowVersion: 3, transfer: { kind: 'queue', queue: 'sales' } });
    const dnc: string[] = [];
    const optout = await simulateFlow(flow, {
      script: 'wait 500ms; press 9; wait 1s; press 1',
      lookups: {
        'dnc.add': async (a) => {
          dnc.push(a.number ?? '');
          return {};
        },
      },
      call: { from: '+15557777' },
    });
    expect(dnc).toEqual(['+15557777']);
    expect(optout.outcome.disposition).toBe('opted-out');
  });

  it('a data flow breaking a rule is caught by the linter', () => {
    const raw = dataFlowFixture();
    (raw.menus[2] as { confirm?: boolean }).confirm = false;
    const issues = lintFlow(dataFlowToSpec(parseDataFlow(raw), 1), fixtureCatalogue);
    expect(issues.map((i) => `${i.state}:${i.rule}`)).toContain('x_optout_1_1:confirm-irreversible');
  });
});

describe('data flow without agents', () => {
  it('an all-exempt self-service flow has no dangling agent state', () => {
    const reason = 'self-service balance line, no agents are staffed';
    const spec = dataFlowToSpec(
      parseDataFlow({
        id: 'selfservice',
        name: 'Self service',
        entry: 'main',
        agent: { kind: 'queue', queue: 'agents' },
        menus: [
          {
            id: 'main',
            prompt: 'menu',
            interDigitTimeoutMs: 3000,
            noInputTimeoutMs: 5000,
            maxRetries: 1,
            onExhausted: { type: 'hangup', disposition: 'no-input' },
            lintExempt: { 'zero-to-agent': reason },
            options: [{ digits: '1', action: { type: 'hangup', disposition: 'done', prompts: ['bye'] } }],
          },
        ],
      }),
      1,
    );
    expect(Object.keys(spec.states)).not.toContain('agent');
    expect(lintFlow(spec, fixtureCatalogue).map(formatLintIssue)).toEqual([]);
  });
});
