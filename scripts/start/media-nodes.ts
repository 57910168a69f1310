import { type Extension, type FsSim, startFsSim } from '@switchyard/fs-sim';
import { promptCatalogue } from '@switchyard/ivr-flows';
import type { DemoNode } from './demo-config.ts';

/** The file a queue transfer plays before hanging up (the demo has no agents). */
const QUEUE_FILE = 'ivr/queue-hold.wav';

/** What the simulated nodes know: every catalogue prompt, with its length. */
export function demoNodeFiles(): Record<string, number> {
  const files: Record<string, number> = { [QUEUE_FILE]: 2_000, 'ivr/technical-difficulties.wav': 2_000 };
  for (const p of Object.values(promptCatalogue)) files[p.file] = p.durationMs;
  return files;
}

/**
 * The demo dialplan: `queue-*` (IVR transfers) plays a hold message and hangs up; `2xxx`
 * hands the call to the engine's outbound ESL server (`socket … async full`); anything
 * else parks for the engine's inbound ESL connection.
 */
export function demoDialplan(engineOutbound: string): Extension[] {
  return [
    { pattern: '^queue-', actions: [{ app: 'answer', arg: '' }, { app: 'playback', arg: QUEUE_FILE }, { app: 'hangup', arg: '' }] },
    { pattern: '^2\\d{3}$', actions: [{ app: 'socket', arg: `${engineOutbound} async full` }] },
    { pattern: '^.+$', actions: [{ app: 'park', arg: '' }] },
  ];
}

/** Media nodes the platform runs itself (fs-sim, in this process) or was given (real FreeSWITCH). */
export interface MediaNodes {
  nodes: DemoNode[];
  sims: FsSim[];
  close(): Promise<void>;
}

/** Starts one fs-sim per `ports` entry: ESL and SIP on 127.0.0.1, password ClueCon. */
export async function startSimNodes(
  ports: { esl: number; sip: number }[],
  engineOutbound: string,
  mediaScale = 1,
): Promise<MediaNodes> {
  const sims: FsSim[] = [];
  const nodes: DemoNode[] = [];
  try {
    for (const [i, p] of ports.entries()) {
      const name = `fs${i + 1}`;
      const sim = await startFsSim({
        eslHost: '127.0.0.1',
        eslPort: p.esl,
        sipHost: '127.0.0.1',
        sipPort: p.sip,
        password: 'ClueCon',
        hostname: name,
        heartbeatMs: 5_000,
        files: demoNodeFiles(),
        strictFiles: true,
        mediaScale,
        dialplan: demoDialplan(engineOutbound),
      });
      sims.push(sim);
      nodes.push({ name, eslHost: '127.0.0.1', eslPort: sim.eslPort, sipUri: `sip:127.0.0.1:${sim.sipPort}` });
    }
  } catch (err) {
    await Promise.all(sims.map((s) => s.close()));
    throw err;
  }
  return { nodes, sims, close: async () => void (await Promise.all(sims.map((s) => s.close()))) };
}

/**
 * `FREESWITCH_NODES=fs1=10.0.0.5:8021:sip:10.0.0.5:5080,fs2=…` → nodes (real FreeSWITCH,
 * configured from freeswitch/). Throws naming the bad entry.
 */
export function parseFreeswitchNodes(value: string): DemoNode[] {
  const out: DemoNode[] = [];
  for (const entry of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z0-9][a-z0-9._-]{0,62})=([^:\s]+):(\d{1,5}):(sips?:\S+)$/.exec(entry);
    if (!m || Number(m[3]) < 1 || Number(m[3]) > 65535) {
      throw new Error(`FREESWITCH_NODES: bad entry "${entry}" (want name=eslhost:eslport:sip:host:port)`);
    }
    out.push({ name: m[1] as string, eslHost: m[2] as string, eslPort: Number(m[3]), sipUri: m[4] as string });
  }
  if (out.length === 0) throw new Error('FREESWITCH_NODES is set but lists no node');
  return out;
}
