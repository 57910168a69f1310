import { freeTcpPort, waitFor } from '@switchyard/core/testing';
import { PgFlowStore } from '@switchyard/ivr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineRuntime, startEngineRuntime } from '../src/app/engine-runtime.ts';
import { publishFlowChecked } from '../src/prompts/checked-publish.ts';
import { checkFlowPrompts, PromptsNotReadyError } from '../src/prompts/prompt-readiness.ts';
import { EngineHarness } from './helpers/engine-harness.ts';
import { menuFlow, testFlows } from './helpers/test-flows.ts';

const h = new EngineHarness();
let rt: EngineRuntime;

beforeAll(async () => {
  await h.start(['t-menu']);
  await h.addSim(await freeTcpPort(), 'fs1');
  // fs2 lacks ivr/menu.wav.
  const sim2 = await h.addSim(await freeTcpPort(), 'fs2', false);
  sim2.core.opts.media.files.delete('ivr/menu.wav');
  await h.registerNode('fs2', sim2.eslPort);
  rt = await startEngineRuntime(await h.config(), { codeFlows: testFlows });
  await waitFor(() => rt.nodes.isEslUp('fs1') && rt.nodes.isEslUp('fs2'), { what: 'both nodes up' });
});
afterAll(async () => {
  await rt?.close();
  await h.stop();
});

const dataFlow = {
  id: 'd-menu',
  name: 'Data menu',
  entry: 'main',
  agent: { kind: 'queue', queue: 'agents' },
  menus: [
    {
      id: 'main',
      prompt: 'menu',
      invalidPrompt: 'bye',
      interDigitTimeoutMs: 2000,
      noInputTimeoutMs: 4000,
      maxRetries: 1,
      options: [{ digits: '0', action: { type: 'agent' } }],
    },
  ],
};

describe('prompts are ready before calls need them', () => {
  it('names the node and the file that is missing', async () => {
    const missing = await checkFlowPrompts(menuFlow.spec, menuFlow.catalogue, rt.nodes.links());
    expect(missing).toEqual([{ node: 'fs2', file: 'ivr/menu.wav', reason: 'missing' }]);
  });

  it('refuses to publish a flow whose prompt is missing on an active node, and publishes once it is there', async () => {
    const store = new PgFlowStore(h.db);
    let notified = 0;
    const ports = { store, nodes: rt.nodes.links(), notify: async () => notified++ };
    const err = await publishFlowChecked(dataFlow, menuFlow.catalogue, ports).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PromptsNotReadyError);
    expect((err as Error).message).toContain('ivr/menu.wav on fs2');
    expect(await h.db.selectFrom('ivr_flow_versions').selectAll().where('flow_id', '=', 'd-menu').execute()).toEqual([]);

    (h.sims[1] as NonNullable<(typeof h.sims)[1]>).core.opts.media.files.set('ivr/menu.wav', 400);
    const v = await publishFlowChecked(dataFlow, menuFlow.catalogue, ports);
    expect(v).toMatchObject({ flowId: 'd-menu', version: 1, created: true });
    expect(notified).toBe(1);
  });
});
