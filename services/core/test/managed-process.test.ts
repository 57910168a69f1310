import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startProcess } from '../src/managed-process.ts';
import { waitFor } from '../src/testing/index.ts';

const fixture = fileURLToPath(new URL('./fixtures/spawn-sleeper.ts', import.meta.url));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('startProcess', () => {
  it('a child does not outlive a parent killed with -9', async () => {
    const parent = startProcess(process.execPath, ['--import', 'tsx', fixture], { dieWithParent: false });
    let childPid = 0;
    await waitFor(
      () => {
        const m = /child (\d+)/.exec(parent.output());
        if (m) childPid = Number(m[1]);
        return childPid > 0;
      },
      { timeoutMs: 20_000, what: `the fixture's child: ${parent.output()}` },
    );
    expect(alive(childPid)).toBe(true);
    await parent.kill9();
    // Once orphaned it is reparented and reaped; signal 0 then fails.
    await waitFor(() => !alive(childPid) || isZombie(childPid), { timeoutMs: 10_000, what: `child ${childPid} to exit` });
  });

  it('stop() ends a child with SIGTERM and reports the exit', async () => {
    const p = startProcess('sleep', ['600']);
    expect(alive(p.pid)).toBe(true);
    await p.stop(2_000);
    expect(p.child.signalCode).toBe('SIGTERM');
  });
});

function isZombie(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}
