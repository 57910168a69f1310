import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { isValidTimeZone } from './calling-window.ts';
import { nanpTimeZone } from './nanp-time-zones.ts';

/**
 * Countries that keep one civil time across the whole territory (or whose outlying
 * zones hold a negligible share of subscribers is NOT enough — only true single-zone
 * countries are listed, so a derived zone is never a guess).
 */
const SINGLE_ZONE: Record<string, string> = {
  GB: 'Europe/London', IE: 'Europe/Dublin', FR: 'Europe/Paris', DE: 'Europe/Berlin', IT: 'Europe/Rome',
  NL: 'Europe/Amsterdam', BE: 'Europe/Brussels', LU: 'Europe/Luxembourg', CH: 'Europe/Zurich',
  AT: 'Europe/Vienna', PL: 'Europe/Warsaw', CZ: 'Europe/Prague', SK: 'Europe/Bratislava',
  HU: 'Europe/Budapest', SE: 'Europe/Stockholm', NO: 'Europe/Oslo', DK: 'Europe/Copenhagen',
  FI: 'Europe/Helsinki', GR: 'Europe/Athens', RO: 'Europe/Bucharest', BG: 'Europe/Sofia',
  HR: 'Europe/Zagreb', SI: 'Europe/Ljubljana', RS: 'Europe/Belgrade', IS: 'Atlantic/Reykjavik',
  IL: 'Asia/Jerusalem', TR: 'Europe/Istanbul', JP: 'Asia/Tokyo', KR: 'Asia/Seoul', IN: 'Asia/Kolkata',
  SG: 'Asia/Singapore', HK: 'Asia/Hong_Kong', PH: 'Asia/Manila', TH: 'Asia/Bangkok', VN: 'Asia/Ho_Chi_Minh',
  PK: 'Asia/Karachi', BD: 'Asia/Dhaka', AE: 'Asia/Dubai', SA: 'Asia/Riyadh', QA: 'Asia/Qatar',
  ZA: 'Africa/Johannesburg', NG: 'Africa/Lagos', KE: 'Africa/Nairobi', EG: 'Africa/Cairo',
  MA: 'Africa/Casablanca', CO: 'America/Bogota', PE: 'America/Lima', VE: 'America/Caracas',
  UY: 'America/Montevideo', CR: 'America/Costa_Rica', GT: 'America/Guatemala', JM: 'America/Jamaica',
};

/** Where a contact's time zone came from. */
export type TimeZoneSource = 'contact' | 'number' | 'campaign';

/**
 * Resolves the zone to evaluate calling windows in: the contact's own field, else one
 * derived from the number when unambiguous (single-zone country, or a US/Canadian area
 * code wholly in one zone), else the campaign default.
 *
 * @example
 * resolveTimeZone(null, '+33142685300', 'UTC'); // { tz: 'Europe/Paris', source: 'number' }
 */
export function resolveTimeZone(
  contactTz: string | null | undefined,
  e164: string,
  campaignDefault: string,
): { tz: string; source: TimeZoneSource } {
  if (contactTz && isValidTimeZone(contactTz)) return { tz: contactTz, source: 'contact' };
  const derived = timeZoneFromNumber(e164);
  if (derived) return { tz: derived, source: 'number' };
  return { tz: campaignDefault, source: 'campaign' };
}

/**
 * The number's zone when it is unambiguous: a US/Canadian area code wholly in one zone, or a
 * single-zone country; null when ambiguous/unknown.
 */
export function timeZoneFromNumber(e164: string): string | null {
  const nanp = nanpTimeZone(e164);
  if (nanp) return nanp;
  const country = parsePhoneNumberFromString(e164)?.country;
  return country ? (SINGLE_ZONE[country] ?? null) : null;
}
