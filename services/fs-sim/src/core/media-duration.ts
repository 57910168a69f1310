import { closeSync, openSync, readSync } from 'node:fs';

/** Duration of a tone_stream:// spec in ms: sum of on+off per %(on,off,freq) group times `loops`. */
export function toneStreamMs(spec: string): number {
  let total = 0;
  for (const m of spec.matchAll(/%\((\d+),(\d+)/g)) total += Number(m[1]) + Number(m[2]);
  const loops = /loops=(-?\d+)/.exec(spec);
  if (loops) {
    const n = Number(loops[1]);
    if (n < 0) return Number.POSITIVE_INFINITY;
    total *= n;
  }
  return total;
}

/** Duration of silence_stream://<ms>[,<thresh>]; -1 or 0 means forever (until interrupted). */
export function silenceStreamMs(spec: string): number {
  const n = Number.parseInt(spec.split(',')[0] ?? '', 10);
  if (!Number.isFinite(n) || n <= 0) return Number.POSITIVE_INFINITY;
  return n;
}

/** Duration of a PCM WAV file from its header, or undefined if it cannot be read. */
export function wavDurationMs(path: string): number | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    if (n < 44 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') return undefined;
    let off = 12;
    let byteRate = 0;
    while (off + 8 <= n) {
      const id = buf.toString('ascii', off, off + 4);
      const size = buf.readUInt32LE(off + 4);
      if (id === 'fmt ') byteRate = buf.readUInt32LE(off + 16);
      if (id === 'data') return byteRate > 0 ? Math.round((size / byteRate) * 1000) : undefined;
      off += 8 + size + (size & 1);
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** File kind as PLAYBACK_* reports it (`Playback-File-Type` only for streams). */
export function streamType(path: string): string | undefined {
  const m = /^([a-z_]+):\/\//.exec(path);
  return m ? m[1] : undefined;
}

/** Options deciding prompt lengths. */
export interface MediaLookup {
  defaultPlaybackMs: number;
  files: Map<string, number>;
  /** When true, an unknown file that does not exist on disk is FILE NOT FOUND (as in FreeSWITCH). */
  strictFiles?: boolean;
}

const wavCache = new Map<string, number | undefined>();

/** Duration of anything `playback` accepts; undefined = not found. */
export function mediaDuration(m: MediaLookup, path: string): number | undefined {
  if (path.startsWith('tone_stream://')) return toneStreamMs(path);
  if (path.startsWith('silence_stream://')) return silenceStreamMs(path.slice('silence_stream://'.length));
  const known = m.files.get(path);
  if (known !== undefined) return known;
  if (!wavCache.has(path)) {
    // bounded: a simulator sees a handful of prompt paths
    if (wavCache.size > 1000) wavCache.clear();
    wavCache.set(path, path.endsWith('.wav') ? wavDurationMs(path) : undefined);
  }
  const d = wavCache.get(path);
  if (d !== undefined) return d;
  return m.strictFiles ? undefined : m.defaultPlaybackMs;
}
