import { promises as fs } from 'node:fs';
import path from 'node:path';
import { freeTcpPort, freeUdpPort } from '@switchyard/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkKamailioConfig,
  defineArgs,
  KAMAILIO_BARE_RELAY_CFG,
  KAMAILIO_CFG,
  KamailioConfigError,
  KamailioProcess,
  parseKamailioRun,
} from '../src/index.ts';
import { tmpDir } from './helpers/sipp.ts';

const procs: KamailioProcess[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const p of procs) await p.stop();
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
});

describe('kamailio -c', () => {
  it('accepts kamailio.cfg with its defaults and with our defines', async () => {
    const run = await checkKamailioConfig({ sipPort: 5060, rpcPort: 5089 });
    expect(run.cfgPath).toBe(KAMAILIO_CFG);
    await checkKamailioConfig({
      sipPort: 15060,
      rpcPort: 15089,
      dbUrl: 'postgres://u:p@127.0.0.1:5432/db',
      defines: { PIKE_DENSITY: 50, BAN_SECS: 60, DS_PING_INTERVAL: 2, RELOAD_DELTA: 5 },
    });
  });

  it('accepts the bare relay cfg', async () => {
    await checkKamailioConfig({ cfgPath: KAMAILIO_BARE_RELAY_CFG, sipPort: 5060, rpcPort: 5089, defines: { DS_LIST: '/tmp/x.list' } });
  });

  it('rejects a bad value with Kamailio’s own error', async () => {
    const err = await checkKamailioConfig({ sipPort: 5060, rpcPort: 5089, defines: { PIKE_DENSITY: 'lots' } }).catch((e) => e);
    expect(err).toBeInstanceOf(KamailioConfigError);
    expect(err.message).toMatch(/kamailio -c rejected/);
    expect(err.kamailioOutput).toMatch(/reqs_density_per_unit|module parameter/i);
  });

  it('rejects malformed settings before asking Kamailio, naming the field', () => {
    expect(() => parseKamailioRun({ sipPort: 70_000, rpcPort: 5089 })).toThrow(/sipPort/);
    expect(() => parseKamailioRun({ sipPort: 5060, rpcPort: 5089, dbUrl: 'mysql://x' })).toThrow(/dbUrl/);
    expect(() => parseKamailioRun({ sipPort: 5060, rpcPort: 5089, defines: { bad: 1 } })).toThrow(/defines/);
    expect(() => parseKamailioRun({ sipPort: 5060, rpcPort: 5089, defines: { X: 'a"b' } })).toThrow(/quotes/);
  });

  it('quotes strings and leaves numbers and addresses bare', () => {
    const args = defineArgs(parseKamailioRun({ sipPort: 5070, rpcPort: 5089, dbUrl: 'postgres://a@b/c', defines: { X: 'y' } }));
    expect(args).toContain('SIP_IP=127.0.0.1');
    expect(args).toContain('SIP_PORT=5070');
    expect(args).toContain('DB_URL="postgres://a@b/c"');
    expect(args).toContain('X="y"');
  });
});

describe('KamailioProcess', () => {
  it('keeps the running Kamailio when a restart brings a bad value', async () => {
    const dir = await tmpDir('kcfg');
    dirs.push(dir);
    const list = path.join(dir, 'ds.list');
    await fs.writeFile(list, '1 sip:127.0.0.1:9\n');
    const settings = {
      cfgPath: KAMAILIO_BARE_RELAY_CFG,
      sipPort: await freeUdpPort(),
      rpcPort: await freeTcpPort(),
      shmMb: 64,
      children: 1,
      defines: { DS_LIST: list },
    };
    const k = await KamailioProcess.start(settings);
    procs.push(k);
    const pid = k.pid;
    await expect(k.restart({ ...settings, defines: { DS_LIST: list, UDP_MAXBUFFER: 'huge' } })).rejects.toThrow(KamailioConfigError);
    expect(k.pid).toBe(pid);
    expect(await k.rpc.call('core.version')).toMatch(/kamailio/i);
    // A good change is applied by a restart on the same ports.
    await k.restart({ ...settings, children: 2 });
    expect(k.pid).not.toBe(pid);
    expect(k.settings.children).toBe(2);
    expect(await k.rpc.call('core.version')).toMatch(/kamailio/i);
  });
});
