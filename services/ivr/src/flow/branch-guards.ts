import type { Condition } from './flow-spec.ts';

// One formatter per time zone; zones come from flow definitions, so the map stays small.
// It is still capped, so a stream of bad data cannot grow it without bound.
const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATTERS = 64;

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: tz, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    formatters.set(tz, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Minutes since midnight of `HH:MM`. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** ISO weekday (1 = Monday) and minute of day of `at` in `tz`. */
export function localTime(at: number, tz: string): { weekday: number; minute: number } {
  let weekday = 0;
  let hour = 0;
  let minute = 0;
  for (const p of formatterFor(tz).formatToParts(at)) {
    if (p.type === 'weekday') weekday = WEEKDAYS[p.value] ?? 0;
    else if (p.type === 'hour') hour = Number(p.value);
    else if (p.type === 'minute') minute = Number(p.value);
  }
  return { weekday, minute: hour * 60 + minute };
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
