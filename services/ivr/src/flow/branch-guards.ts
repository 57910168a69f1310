import type { Condition } from './flow-spec.ts';

interface LocalTime {
  readonly weekday: number;
  readonly minute: number;
}

// One formatter per time zone, with the last minute it resolved: every call of a flow asks
// about the same minute, and formatToParts is far dearer than the guard around it. Zones
// come from flow definitions, so the map stays small; it is still capped, so a stream of
// bad data cannot grow it without bound.
interface ZoneClock {
  readonly format: Intl.DateTimeFormat;
  lastMinute: number;
  last: LocalTime;
}
const zones = new Map<string, ZoneClock>();
const MAX_ZONES = 64;

function zoneClock(tz: string): ZoneClock {
  let z = zones.get(tz);
  if (!z) {
    const format = new Intl.DateTimeFormat('en-GB', { timeZone: tz, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    z = { format, lastMinute: Number.NaN, last: { weekday: 0, minute: 0 } };
    if (zones.size >= MAX_ZONES) zones.clear();
    zones.set(tz, z);
  }
  return z;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Minutes since midnight of `HH:MM`. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** ISO weekday (1 = Monday) and minute of day of `at` in `tz`. */
export function localTime(at: number, tz: string): LocalTime {
  const z = zoneClock(tz);
  // Zone offsets are whole minutes, so the local weekday and minute only change on a UTC minute.
  const utcMinute = Math.floor(at / 60_000);
  if (utcMinute === z.lastMinute) return z.last;
  let weekday = 0;
  let hour = 0;
  let minute = 0;
  for (const p of z.format.formatToParts(at)) {
    if (p.type === 'weekday') weekday = WEEKDAYS[p.value] ?? 0;
    else if (p.type === 'hour') hour = Number(p.value);
    else if (p.type === 'minute') minute = Number(p.value);
  }
  z.last = Object.freeze({ weekday, minute: hour * 60 + minute });
  z.lastMinute = utcMinute;
  return z.last;
}

/** Evaluates a `branch` condition against call variables and the clock. Pure. */
export function evaluateCondition(c: Condition, vars: Readonly<Record<string, string>>, now: number): boolean {
  switch (c.type) {
    case 'timeOfDay': {
      const t = localTime(now, c.tz);
      return c.days.includes(t.weekday) && t.minute >= minutesOf(c.open) && t.minute < minutesOf(c.close);
    }
    case 'varEquals':
      return vars[c.name] === c.value;
    case 'varPresent':
      return (vars[c.name] ?? '') !== '';
  }
}

/** Short text of a condition for diagrams and step events. */
export function describeCondition(c: Condition): string {
  switch (c.type) {
    case 'timeOfDay':
      return `open ${c.open}-${c.close} d${c.days.join('')} ${c.tz}`;
    case 'varEquals':
      return `${c.name} = ${c.value}`;
    case 'varPresent':
      return `${c.name} set`;
  }
}
