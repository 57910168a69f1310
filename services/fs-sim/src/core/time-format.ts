const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `2026-11-24 22:01:37` in local time, as FreeSWITCH's Event-Date-Local and *_stamp variables. */
export function localStamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** RFC 1123 date as Event-Date-GMT (`Tue, 24 Nov 2026 22:01:37 GMT`). */
export function gmtStamp(ms: number): string {
  return new Date(ms).toUTCString();
}

/** Microseconds since the epoch as a decimal string (Event-Date-Timestamp, *_uepoch). */
export function uepoch(ms: number): string {
  return ms === 0 ? '0' : `${Math.floor(ms)}000`;
}
