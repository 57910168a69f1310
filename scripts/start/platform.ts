import path from 'node:path';
import { createDb, type Database, type Kysely } from '@switchyard/core';
import { KamailioProcess } from '@switchyard/fleet';
import { applyDemoConfig } from './demo-config.ts';
import { type MediaNodes, parseFreeswitchNodes, startSimNodes } from './media-nodes.ts';
import type { PlatformPorts } from './platform-ports.ts';
import { ENGINE_NODE_FLAGS } from '../../services/engine/src/node-flags.ts';
import { httpOk, REPO_ROOT, ServiceProcess, type ServiceSpec } from './service-process.ts';

/** How to run one platform (`npm start`, the e2e suite and the drills share this). */
export interface PlatformOptions {
  ports: PlatformPorts;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  dataDir: string;
  /** Write each service's output to `<dataDir>/logs/<name>.log`. */
  logToFiles?: boolean;
  /** `name=host:eslport:sipuri,...`: real FreeSWITCH nodes instead of fs-sim. */
  freeswitchNodes?: string;
  /** fs-sim media speed-up (tests). */
  mediaScale?: number;
  /** Dialer dial string (`{number}`, `{gateway}`); default rings the first node's SIP port. */
  dialString?: string;
  logLevel?: string;
  /** Extra env per service name (engine, recorder, api, dialer). */
  serviceEnv?: Record<string, Record<string, string>>;
  /** Interposes on a node's ESL address (drills put a TCP proxy there); returns the port to register. */
  nodeEslPort?: (node: string, port: number) => Promise<number>;
  /** Progress lines (`npm start` prints them). */
  onStep?: (msg: string) => void;
}

/** A running platform: every part it started, stopped by PID in `stop()`. */
export interface Platform {
  opts: PlatformOptions;
  db: Kysely<Database>;
  media: MediaNodes;
  kamailio: KamailioProcess;
  services: Record<'recorder' | 'engine' | 'api' | 'dialer', ServiceProcess>;
  apiUrl: string;
  /** Drains and stops everything it started (dialer → api → engine → recorder → Kamailio → nodes). */
  stop(): Promise<void>;
}

type ServiceName = keyof Platform['services'];

function serviceSpecs(o: PlatformOptions, firstSip: string): Record<ServiceName, ServiceSpec> {
  const p = o.ports;
  const common = {
    DATABASE_URL: o.databaseUrl,
    REDIS_URL: o.redisUrl,
    SWITCHYARD_DEV: '1',
    SWITCHYARD_DATA_DIR: o.dataDir,
    LOG_LEVEL: o.logLevel ?? 'info',
    NODE_ENV: 'development',
  };
  const env = (name: ServiceName, own: Record<string, string>) => ({ ...common, ...own, ...(o.serviceEnv?.[name] ?? {}) });
  return {
    recorder: {
      name: 'recorder',
      entry: 'services/recorder/src/main.ts',
      env: env('recorder', {
        SWITCHYARD_REDIS_PREFIX: o.redisPrefix,
        RECORDER_CONSUMER: 'platform-recorder',
        RECORDER_METRICS_PORT: String(p.recorderMetrics),
      }),
      ready: () => httpOk(`http://127.0.0.1:${p.recorderMetrics}/health`),
    },
    engine: {
      name: 'engine',
      entry: 'services/engine/src/main.ts',
      nodeFlags: ENGINE_NODE_FLAGS,
      env: env('engine', {
        ENGINE_ID: 'platform-engine',
        ENGINE_HTTP_PORT: String(p.engineHttp),
        ENGINE_OUTBOUND_PORT: String(p.engineOutbound),
        REDIS_PREFIX: o.redisPrefix,
        NODE_POLL_MS: '1000',
        ENGINE_CODE_FLOWS: path.join(REPO_ROOT, 'scripts/start/demo-flows.ts'),
        DRAIN_SECS: '10',
      }),
      ready: () => httpOk(`http://127.0.0.1:${p.engineHttp}/ready`),
    },
    api: {
      name: 'api',
      entry: 'services/api/src/main.ts',
      env: env('api', {
        API_PORT: String(p.api),
        API_HOST: '127.0.0.1',
        REDIS_PREFIX: o.redisPrefix,
        KAMAILIO_RPC_URL: `http://127.0.0.1:${p.kamailioRpc}/RPC`,
        FLEET_TICK_MS: '1000',
        API_DRAIN_SECS: '5',
      }),
      ready: () => httpOk(`http://127.0.0.1:${p.api}/ready`),
    },
    dialer: {
      name: 'dialer',
      entry: 'services/dialer/src/main.ts',
      env: env('dialer', {
        DIALER_ID: 'platform-dialer',
        DIALER_REDIS_PREFIX: o.redisPrefix,
        DIALER_DIAL_STRING: o.dialString ?? `sofia/internal/{number}@${firstSip}`,
        DIALER_OPS_PORT: String(p.dialerOps),
      }),
      ready: () => httpOk(`http://127.0.0.1:${p.dialerOps}/ready`),
    },
  };
}

/** Every node is `active` in the fleet and in Kamailio's set 1 (not the probe set). */
async function waitFleetActive(db: Kysely<Database>, k: KamailioProcess, uris: string[], timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let stable = 0;
  for (;;) {
    const states = await db.selectFrom('nodes').select('state').where('state', '<>', 'removed').execute();
    const list = JSON.stringify(await k.rpc.call('dispatcher.list').catch(() => ''));
    const flags = [...list.matchAll(/"FLAGS":"([A-Z]+)"/g)].map((m) => m[1] as string);
    const inSet1 = list.includes('"ID":1,') && !list.includes('"ID":999999') && flags.length > 0 && flags.every((f) => /^AP?$/.test(f));
    // Twice in a row: a fresh fleet can flap once while the ESL health cache warms up.
    if (inSet1 && states.every((s) => s.state === 'active') && uris.every((u) => list.includes(u))) {
      if (++stable >= 2) return;
    } else stable = 0;
    if (Date.now() > deadline) throw new Error(`Kamailio dispatcher does not list ${uris.join(', ')}: ${list.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Starts the whole platform on one machine: demo configuration, media nodes, Kamailio with
 * our cfg, then recorder, engine, api and dialer as child processes, each waited for.
 * On a failure everything already started is stopped before the error is thrown.
 */
export async function startPlatform(o: PlatformOptions): Promise<Platform> {
  const step = o.onStep ?? (() => {});
  const stack: (() => Promise<void>)[] = [];
  const unwind = async () => {
    for (const f of stack.reverse()) await f().catch(() => {});
    stack.length = 0;
  };
  const db = createDb(o.databaseUrl, { max: 4 });
  stack.push(() => db.destroy());
  try {
    const outbound = `127.0.0.1:${o.ports.engineOutbound}`;
    const media: MediaNodes = o.freeswitchNodes
      ? { nodes: parseFreeswitchNodes(o.freeswitchNodes), sims: [], close: async () => {} }
      : await startSimNodes(o.ports.nodes, outbound, o.mediaScale);
    stack.push(() => media.close());
    step(`media nodes: ${media.nodes.map((n) => `${n.name} esl ${n.eslHost}:${n.eslPort} ${n.sipUri}`).join(' · ')}${media.sims.length ? ' (fs-sim)' : ''}`);
    if (o.nodeEslPort) {
      for (const n of media.nodes) n.eslPort = await o.nodeEslPort(n.name, n.eslPort);
    }
    await applyDemoConfig(db, media.nodes);
    step('demo configuration applied');
    const kamailio = await KamailioProcess.start({
      sipPort: o.ports.kamailioSip,
      rpcPort: o.ports.kamailioRpc,
      dbUrl: o.databaseUrl,
      shmMb: 256,
      children: 2,
      defines: { DS_PING_INTERVAL: 2 },
    });
    stack.push(() => kamailio.stop());
    step(`kamailio: sip 127.0.0.1:${o.ports.kamailioSip} rpc ${o.ports.kamailioRpc} (pid ${kamailio.pid})`);
    const firstSip = (media.nodes[0]?.sipUri ?? 'sip:127.0.0.1:5080').replace(/^sips?:/, '');
    const specs = serviceSpecs(o, firstSip);
    const logDir = o.logToFiles ? path.join(o.dataDir, 'logs') : null;
    const services = {} as Platform['services'];
    // All four start at once (they only meet through Postgres and Redis); each is waited for.
    for (const name of ['recorder', 'engine', 'api', 'dialer'] as const) {
      const svc = new ServiceProcess(specs[name], logDir);
      services[name] = svc;
      stack.push(() => svc.stop());
    }
    await Promise.all(
      Object.values(services).map(async (svc) => {
        await svc.waitReady(60_000);
        step(`${svc.spec.name}: ready (pid ${svc.pid})`);
      }),
    );
    await waitFleetActive(db, kamailio, media.nodes.map((n) => n.sipUri.replace(/^sips?:/, '')));
    step('every node active in the fleet and in the dispatcher');
    const stopAll = stack.slice();
    stack.length = 0;
    let stopping: Promise<void> | null = null;
    return {
      opts: o,
      db,
      media,
      kamailio,
      services,
      apiUrl: `http://127.0.0.1:${o.ports.api}`,
      stop() {
        stopping ??= (async () => {
          for (const f of stopAll.reverse()) await f().catch(() => {});
        })();
        return stopping;
      },
    };
  } catch (err) {
    await unwind();
    throw err;
  }
}

export { REPO_ROOT };
