import type { SwitchCore } from './switch-core.ts';

/** HEARTBEAT (+ its RE_SCHEDULE) every `ms`, with the headers switch_core.c send_heartbeat sets. */
export function startHeartbeat(sw: SwitchCore, ms: number): () => void {
  if (ms <= 0) return () => {};
  let task = 1;
  const timer = setInterval(() => {
    const up = Date.now() - sw.startedMs;
    const s = Math.floor(up / 1000);
    const upTime = `${Math.floor(s / 31536000)} years, ${Math.floor(s / 86400) % 365} days, ${Math.floor(s / 3600) % 24} hours, ${Math.floor(s / 60) % 60} minutes, ${s % 60} seconds, ${up % 1000} milliseconds, 0 microseconds`;
    if (sw.bus.wants('HEARTBEAT')) {
      sw.emit(
        sw.events.plain('HEARTBEAT', [
          ['Event-Info', 'System Ready'],
          ['Up-Time', upTime],
          ['FreeSWITCH-Version', '1.10.12-release~64bit'],
          ['Uptime-msec', String(up)],
          ['Session-Count', String(sw.sessionCount)],
          ['Max-Sessions', String(sw.opts.maxSessions)],
          ['Session-Per-Sec', '30'],
          ['Session-Per-Sec-Last', '0'],
          ['Session-Per-Sec-Max', '0'],
          ['Session-Per-Sec-FiveMin', '0'],
          ['Session-Since-Startup', String(sw.sessionsSinceStartup)],
          ['Session-Peak-Max', String(sw.peakSessions)],
          ['Session-Peak-FiveMin', String(sw.peakSessions)],
          ['Idle-CPU', '95.000000'],
        ]),
      );
    }
    if (sw.bus.wants('RE_SCHEDULE')) {
      sw.emit(
        sw.events.plain('RE_SCHEDULE', [
          ['Task-ID', String(task)],
          ['Task-Desc', 'heartbeat'],
          ['Task-Group', 'core'],
          ['Task-Runtime', String(Math.floor(Date.now() / 1000) + Math.round(ms / 1000))],
        ]),
      );
    }
    task = 1;
  }, ms);
  timer.unref();
  return () => clearInterval(timer);
}
