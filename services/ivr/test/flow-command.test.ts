import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFlowCommand } from '../src/cli/flow-command.ts';
import { dataFlowFixture } from './fixtures/data-flow.ts';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runFlowCommand(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('switchyard flow (runFlowCommand)', () => {
  it('lint with no arguments lints every shipped flow and exits 0', async () => {
    const r = await run('lint');
    expect(r.code).toBe(0);
    expect(r.out).toEqual(expect.arrayContaining([expect.stringMatching(/^ok +main-menu/), expect.stringMatching(/^ok +campaign-outbound/)]));
  });

  it('lint of a bad flow file exits 1 naming state and rule', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ivr-lint-'));
    const bad = dataFlowFixture();
    bad.menus[0]!.maxRetries = undefined as unknown as number;
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    const r = await run('lint', file);
    expect(r.code).toBe(1);
    expect(r.err).toContain('flow data-main, state "main": [bounded-retries] maxRetries is not set; set a bound between 0 and 5');
  });

  it('simulate prints the path, prompts, digits and disposition', async () => {
    const r = await run('simulate', 'main-menu', '--script', 'wait 2s; press 1; wait 6s; press 0');
    expect(r.code).toBe(0);
    expect(r.out).toEqual(
      expect.arrayContaining([
        '00:02.000 [welcome] prompt welcome (barged in with 1)',
        '00:02.000 [main] digits "1" (max-digits, attempt 1)',
        'path: hours -> welcome -> main -> sales',
        'disposition: sales (transfer)',
      ]),
    );
    const closed = await run('simulate', 'main-menu', '--script', 'wait 1s', '--at', '2026-01-05T22:00:00Z');
    expect(closed.out).toContain('path: hours -> closed -> closed_bye');
  });

  it('graph prints Mermaid with every transition', async () => {
    const r = await run('graph', 'campaign-outbound');
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    expect(text.startsWith('stateDiagram-v2\n  [*] --> message')).toBe(true);
    expect(text).toContain('  offer --> optout_confirm : 9');
    expect(text).toContain('  dnc --> optout_failed : fallback');
    expect(text).toContain('  bye --> [*]');
  });

  it('usage errors exit 2 with a message', async () => {
    expect((await run('simulate', 'main-menu')).code).toBe(2);
    const unknown = await run('graph', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.err[0]).toMatch(/unknown flow "nope"/);
    const badScript = await run('simulate', 'main-menu', '--script', 'jump');
    expect(badScript.err[0]).toMatch(/unknown action "jump"/);
    expect((await run('frobnicate')).code).toBe(2);
  });
});
