import { loadDialplanFile } from './dialplan/dialplan.ts';
import type { FsSimOptions } from './fs-sim.ts';

const USAGE = `usage: fs-sim [--esl host:port] [--sip host:port | --no-sip] [--password pw] [--dialplan file.json]
              [--socket host:port] [--max-sessions N] [--heartbeat ms] [--media-scale X]
              [--load N --load-dest 1000 --load-script "wait 1s; press 1; wait 2s; press 0"]`;

function hostPort(v: string | undefined, flag: string): [string, number] {
  const m = v ? /^([^:]+):(\d+)$/.exec(v) : null;
  if (!m) throw new Error(`${flag} needs host:port, got ${v ?? 'nothing'}`);
  return [m[1] as string, Number(m[2])];
}

function num(v: string | undefined, flag: string): number {
  const n = Number(v);
  if (v === undefined || !Number.isFinite(n)) throw new Error(`${flag} needs a number`);
  return n;
}

/** Parse CLI arguments into simulator options (throws with a clear message on bad input). */
export function parseArgs(argv: string[]): { opts: FsSimOptions; load?: { calls: number; dest: string; script: string } } {
  const opts: FsSimOptions = { eslHost: '127.0.0.1', eslPort: 8021, sipHost: '127.0.0.1', sipPort: 5080 };
  let load: { calls: number; dest: string; script: string } | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    switch (a) {
      case '--esl':
        [opts.eslHost, opts.eslPort] = hostPort(v, a);
        i++;
        break;
      case '--sip':
        [opts.sipHost, opts.sipPort] = hostPort(v, a);
        i++;
        break;
      case '--no-sip':
        opts.sipPort = false;
        break;
      case '--password':
        if (!v) throw new Error('--password needs a value');
        opts.password = v;
        i++;
        break;
      case '--dialplan':
        if (!v) throw new Error('--dialplan needs a file');
        opts.dialplan = loadDialplanFile(v);
        i++;
        break;
      case '--socket':
        hostPort(v, a);
        opts.socketAddress = v;
        i++;
        break;
      case '--max-sessions':
        opts.maxSessions = num(v, a);
        i++;
        break;
      case '--heartbeat':
        opts.heartbeatMs = num(v, a);
        i++;
        break;
      case '--media-scale':
        opts.mediaScale = num(v, a);
        i++;
        break;
      case '--load':
        load = { calls: num(v, a), dest: load?.dest ?? '1000', script: load?.script ?? 'wait 1s; press 1; wait 2s; press 0' };
        i++;
        break;
      case '--load-dest':
        if (!v) throw new Error('--load-dest needs a number');
        load = { calls: load?.calls ?? 1, dest: v, script: load?.script ?? '' };
        i++;
        break;
      case '--load-script':
        if (!v) throw new Error('--load-script needs a script');
        load = { calls: load?.calls ?? 1, dest: load?.dest ?? '1000', script: v };
        i++;
        break;
      case '--help':
      case '-h':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown argument ${a}\n${USAGE}`);
    }
  }
  return { opts, load };
}
