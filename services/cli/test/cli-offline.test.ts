import { describe, expect, it } from 'vitest';
import { ProgressBar } from '../src/output/progress-bar.ts';
import { renderTable } from '../src/output/table.ts';
import { runCli } from './support/run-cli.ts';

describe('switchyard offline commands', () => {
  it('lints, graphs and simulates the shipped flows without an API', async () => {
    const lint = await runCli(['flow', 'lint'], { SWITCHYARD_API_URL: 'http://127.0.0.1:9' });
    expect(lint.code, lint.stderr).toBe(0);
    expect(lint.stdout).toMatch(/^ok\s+main-menu/m);
    const graph = await runCli(['flow', 'graph', 'main-menu'], {});
    expect(graph.code).toBe(0);
    expect(graph.stdout).toMatch(/^stateDiagram/);
    const sim = await runCli(['flow', 'simulate', 'main-menu', '--script', 'wait 2s; press 0'], {});
    expect(sim.code, sim.stderr).toBe(0);
    expect(sim.stdout).toMatch(/^path: /m);
    expect(sim.stdout).toMatch(/^disposition: /m);
  });

  it('exit codes: usage 2, API unreachable 7, help 0', async () => {
    expect((await runCli(['frobnicate'], {})).code).toBe(2);
    expect((await runCli(['nodes', 'add', 'fs1'], {})).code).toBe(2); // --esl missing
    const down = await runCli(['nodes', 'list'], { SWITCHYARD_API_URL: 'http://127.0.0.1:9', SWITCHYARD_TOKEN: 'sy_x' });
    expect(down.code).toBe(7);
    expect(down.stderr).toContain('cannot reach the API');
    const help = await runCli(['help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('exit codes:');
  });
});

describe('output helpers', () => {
  it('aligns a table and truncates long cells', () => {
    const t = renderTable([{ a: 'x', b: null }, { a: 'longer', b: { k: 1 } }], ['a', 'b']);
    expect(t.split('\n')).toEqual(['A       B', 'x       -', 'longer  {"k":1}']);
    expect(renderTable([], ['a'])).toBe('(none)');
  });

  it('draws a progress bar: in place on a terminal, a line per 10% otherwise', () => {
    let tty = '';
    const a = new ProgressBar(200, { write: (s) => (tty += s), isTTY: true });
    a.update(50);
    a.finish();
    expect(tty).toContain('\r[########......................] 25%');
    expect(tty.endsWith('100%\n')).toBe(true);
    const lines: string[] = [];
    const b = new ProgressBar(1000, { write: (s) => lines.push(s) }, 'import ');
    for (let i = 0; i <= 1000; i += 7) b.update(i);
    b.finish();
    expect(lines).toEqual(['0%', '10%', '20%', '30%', '40%', '50%', '60%', '70%', '80%', '90%', '100%'].map((p) => `import ${p}\n`));
  });
});
