/** True if `bytes` occurs in `buf` at `at`, wholly before `end` (the codec's one byte-compare loop). */
export function bytesAt(buf: Buffer, at: number, end: number, bytes: Buffer): boolean {
  if (at < 0 || end - at < bytes.length) return false;
  for (let k = 0; k < bytes.length; k++) if (buf[at + k] !== bytes[k]) return false;
  return true;
}
