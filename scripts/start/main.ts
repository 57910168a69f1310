import path from 'node:path';
import { TokenRepository } from '@switchyard/api';
import { DEMO_DIDS } from './demo-config.ts';
import { startPlatform } from './platform.ts';
import { DEFAULT_PORTS } from './platform-ports.ts';
import { REPO_ROOT } from './service-process.ts';

// `npm start` (after scripts/setup): the whole platform on fixed loopback ports; Ctrl-C drains.
const say = (msg: string) => process.stdout.write(`[start] ${msg}\n`);
const env = process.env;
const dataDir = path.resolve(REPO_ROOT, env.SWITCHYARD_DATA_DIR ?? '.data');

async function main(): Promise<void> {
  const platform = await startPlatform({
    ports: DEFAULT_PORTS,
    databaseUrl: env.DATABASE_URL ?? 'postgres://switchyard:switchyard@127.0.0.1:5432/switchyard',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisPrefix: env.REDIS_PREFIX ?? 'sy:',
    dataDir,
    logToFiles: true,
    freeswitchNodes: env.FREESWITCH_NODES || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    onStep: say,
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: draining (dialer → api → engine → recorder → kamailio → nodes)…`);
    void platform.stop().then(() => {
      say('stopped');
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const { token } = await new TokenRepository(platform.db).create(`admin-start-${new Date().toISOString()}`, 'admin', 'npm start');
  const p = DEFAULT_PORTS;
  const lines = [
    '',
    'Switchyard is running.',
    `  API        ${platform.apiUrl}        (Authorization: Bearer <token>)`,
    `  API docs   ${platform.apiUrl}/docs`,
    `  token      ${token}   (admin; shown once)`,
    `  Kamailio   sip 127.0.0.1:${p.kamailioSip} (udp/tcp) · rpc http://127.0.0.1:${p.kamailioRpc}/RPC`,
    `  nodes      ${platform.media.nodes.map((n) => `${n.name} esl ${n.eslHost}:${n.eslPort} ${n.sipUri}`).join(' · ')}`,
    `  engine     ops http://127.0.0.1:${p.engineHttp}/metrics · outbound ESL 127.0.0.1:${p.engineOutbound}`,
    `  recorder   http://127.0.0.1:${p.recorderMetrics}/metrics`,
    `  dialer     http://127.0.0.1:${p.dialerOps}/metrics`,
    `  logs       ${path.join(dataDir, 'logs')}/<service>.log`,
    '',
    'Place a test call through Kamailio into the IVR (prints the IVR path and the call-log row):',
    `  npm run call -- --to ${DEMO_DIDS.inbound24h} --dtmf 1,0     # main menu, always open, inbound ESL`,
    `  npm run call -- --to ${DEMO_DIDS.outbound24h} --dtmf 1,0     # the same over outbound ESL`,
    `  npm run call -- --to ${DEMO_DIDS.inbound} --dtmf 1,0     # main menu with opening hours (${DEMO_DIDS.outbound}: outbound ESL)`,
    `  export SWITCHYARD_TOKEN=${token}; npx switchyard calls search --help`,
    '',
    'Ctrl-C drains and stops everything.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`[start] failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
