import { z } from 'zod';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'time must be HH:MM');

/** One weekly window: ISO weekdays (1 = Monday … 7 = Sunday) and local hours [start, end). */
export const callingWindowSchema = z
  .object({ days: z.array(z.number().int().min(1).max(7)).min(1), start: hhmm, end: hhmm })
  .refine((w) => toMinutes(w.start) < toMinutes(w.end), 'window start must be before end');
export type CallingWindow = z.infer<typeof callingWindowSchema>;
export const callingWindowsSchema = z.array(callingWindowSchema);

function toMinutes(t: string): number {
  const [h, m] = t.split(':');
  return Number(h) * 60 + Number(m);
}

interface LocalParts {
  date: string; // YYYY-MM-DD
  isoDay: number;
  minutes: number;
}

// Bounded cache: one formatter per time zone; IANA has ~600 names, so cap at 1,000.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    if (formatters.size >= 1000) formatters.clear();
    formatters.set(tz, f);
  }
  return f;
}

const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** True if `tz` is an IANA time zone this runtime knows. */
export function isValidTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

function localParts(at: number, tz: string): LocalParts & { seconds: number } {
  const p: Record<string, string> = {};
  for (const x of formatter(tz).formatToParts(new Date(at))) p[x.type] = x.value;
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    isoDay: WEEKDAY[p.weekday ?? ''] ?? 1,
    minutes: Number(p.hour) * 60 + Number(p.minute),
    seconds: Number(p.second),
  };
}

/**
 * Whether a contact in `tz` may be called at instant `at` (ms): some window covers the
 * local weekday and time, and the local date is not a holiday (`YYYY-MM-DD`).
 *
 * @example
 * isWithinWindow(Date.UTC(2026, 10, 24, 14), 'Europe/London', [{ days: [2], start: '09:00', end: '17:00' }], []); // true
 */
export function isWithinWindow(at: number, tz: string, windows: readonly CallingWindow[], holidays: readonly string[]): boolean {
  const l = localParts(at, tz);
  if (holidays.includes(l.date)) return false;
  return windows.some((w) => w.days.includes(l.isoDay) && l.minutes >= toMinutes(w.start) && l.minutes < toMinutes(w.end));
}

/**
 * The next instant (ms, at or after `at`) when the contact's window is open, scanning up to
 * `horizonDays`; null if none (no windows, or all days are holidays). Walks local minutes
 * in steps to the next boundary so DST shifts are respected.
 */
export function nextWindowOpen(
  at: number,
  tz: string,
  windows: readonly CallingWindow[],
  holidays: readonly string[],
  horizonDays = 14,
): number | null {
  if (windows.length === 0) return null;
  const end = at + horizonDays * 86400_000;
  let t = at;
  while (t <= end) {
    const l = localParts(t, tz);
    if (!holidays.includes(l.date)) {
      const open = windows.find(
        (w) => w.days.includes(l.isoDay) && l.minutes >= toMinutes(w.start) && l.minutes < toMinutes(w.end),
      );
      if (open) return t;
      // Jump to the nearest later window start today, else to local midnight.
      const starts = windows
        .filter((w) => w.days.includes(l.isoDay))
        .map((w) => toMinutes(w.start))
        .filter((m) => m > l.minutes);
      const target = starts.length > 0 ? Math.min(...starts) : 24 * 60;
      t += ((target - l.minutes) * 60 - l.seconds) * 1000 - (t % 1000);
    } else {
      t += ((24 * 60 - l.minutes) * 60 - l.seconds) * 1000 - (t % 1000);
    }
  }
  return null;
}
