import { createRedis, type Database, type Kysely, type Redis, redisReady } from '@switchyard/core';
import { createTestDatabase, freeTcpPort, type TestDatabase, testRedisPrefix, testRedisUrl } from '@switchyard/core/testing';
import { type FsSim, startFsSim } from '@switchyard/fs-sim';
import { type EngineConfig, loadEngineConfig } from '../../src/config/engine-config.ts';
import { engineKeys } from '../../src/ownership/engine-keys.ts';
import { nodeFiles } from './test-flows.ts';

/** A call-log event as it sits in the stream (JSON). */
export interface LoggedEvent {
  type: string;
  legId: string;
  seq: number;
  hangupCause?: string;
  kind?: string;
  state?: string;
  transferredTo?: string;
  [k: string]: unknown;
}

/** Shared pieces of an engine test: a migrated database, a Redis prefix, fs-sim nodes. */
export class EngineHarness {
  readonly prefix = testRedisPrefix('engine');
  readonly keys = engineKeys(this.prefix);
  tdb!: TestDatabase;
  redis!: Redis;
  sims: FsSim[] = [];

  get db(): Kysely<Database> {
    return this.tdb.db;
  }

  async start(flowIds: string[]): Promise<void> {
    this.tdb = await createTestDatabase();
    this.redis = createRedis(testRedisUrl());
    await redisReady(this.redis);
    if (flowIds.length > 0) await this.db.insertInto('ivr_flows').values(flowIds.map((id) => ({ id, name: id, source: 'code' as const }))).execute();
  }

  /** An fs-sim node: `5xxx` parks (inbound flavour), `6xxx` connects to `outboundPort` (outbound flavour). */
  async addSim(outboundPort: number, name = `fs${this.sims.length + 1}`, register = true): Promise<FsSim> {
    const sim = await startFsSim({
      sipPort: false,
      heartbeatMs: 500,
      hostname: name,
      files: nodeFiles,
      strictFiles: true,
      dialplan: [
        { pattern: '^5\\d+$', actions: [{ app: 'park', arg: '' }] },
        { pattern: '^6\\d+$', actions: [{ app: 'socket', arg: `127.0.0.1:${outboundPort} async full` }] },
        { pattern: '^queue-', actions: [{ app: 'answer', arg: '' }, { app: 'playback', arg: 'ivr/bye.wav' }, { app: 'hangup', arg: '' }] },
      ],
    });
    this.sims.push(sim);
    if (register) await this.registerNode(name, sim.eslPort);
    return sim;
  }

  async registerNode(name: string, eslPort: number): Promise<void> {
    await this.db
      .insertInto('nodes')
      .values({ name, esl_host: '127.0.0.1', esl_port: eslPort, sip_uri: `sip:${name}@127.0.0.1:5080`, state: 'active' })
      .execute();
  }

  async route(did: string, flowId: string, flavour: 'inbound' | 'outbound' = 'inbound'): Promise<void> {
    await this.db.insertInto('did_routes').values({ did, flow_id: flowId, flavour }).execute();
  }

  /** Engine config for this harness (env-style overrides). */
  async config(extra: Record<string, string> = {}): Promise<EngineConfig> {
    return loadEngineConfig({ ...(await this.env()), ...extra });
  }

  /** The env a child-process engine gets. */
  async env(): Promise<Record<string, string>> {
    return {
      DATABASE_URL: this.tdb.url,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: this.prefix,
      ENGINE_HTTP_PORT: String(await freeTcpPort()),
      ENGINE_OUTBOUND_PORT: '0',
      LOG_LEVEL: 'warn',
      SWITCHYARD_DEV: '1',
      CALL_LEASE_MS: '1500',
      TAKEOVER_SCAN_MS: '300',
      NODE_POLL_MS: '500',
      ESL_COMMAND_TIMEOUT_MS: '2000',
      SWITCHYARD_DATA_DIR: `/tmp/sy-engine-test-${process.pid}`,
    };
  }

  /** Every call-log event of `legId`, in stream order. */
  async events(legId: string): Promise<LoggedEvent[]> {
    const rows = await this.redis.xrange(this.keys.callLogStream(), '-', '+');
    const out: LoggedEvent[] = [];
    for (const [, fields] of rows) {
      for (let i = 0; i + 1 < fields.length; i += 2) {
        const v = fields[i + 1] as string;
        if (!v.startsWith('{')) continue;
        const e = JSON.parse(v) as LoggedEvent;
        if (e.legId === legId) out.push(e);
      }
    }
    return out;
  }

  async stop(): Promise<void> {
    for (const s of this.sims) await s.close();
    this.redis?.disconnect();
    // core's drop() already retries while a closing backend still holds the database.
    await this.tdb?.drop();
  }
}
