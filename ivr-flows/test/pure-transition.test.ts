import type { FlowEnv } from '@switchyard/ivr';
import { initialTransition } from 'xstate';
import { describe, expect, it } from 'vitest';
import { mainMenuFlow } from '../main-menu.ts';

// The compiled machine is plain XState: its next state can be computed without running
// any effect (no driver call), which is how the branch logic is checked here.
function envAt(now: number, calls: string[]): FlowEnv {
  const driver = new Proxy({}, { get: (_t, p) => (...a: unknown[]) => calls.push(`${String(p)}(${a.length})`) }) as FlowEnv['driver'];
  return { driver, clock: { now: () => now, setTimeout: () => 0, clearTimeout: () => {} }, lookups: {}, catalogue: {}, step: () => {}, answered: false, current: '' };
}

describe('main-menu machine, computed purely', () => {
  it('opening hours pick welcome or closed without touching the channel', () => {
    const calls: string[] = [];
    const machine = mainMenuFlow.compile().machine;
    const [day] = initialTransition(machine, { env: envAt(Date.UTC(2026, 0, 7, 12, 0), calls), vars: {} });
    expect(day.value).toBe('welcome');
    const [night] = initialTransition(machine, { env: envAt(Date.UTC(2026, 0, 7, 23, 0), calls), vars: {} });
    expect(night.value).toBe('closed');
    const [summer] = initialTransition(machine, { env: envAt(Date.UTC(2026, 6, 7, 19, 30), calls), vars: {} });
    // 19:30 UTC is 20:30 in London in July (BST): closed.
    expect(summer.value).toBe('closed');
    expect(calls).toEqual([]);
  });
});
