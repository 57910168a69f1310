import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Normalises a dialled number to E.164, or returns null when it is not a valid number.
 * National formats need `defaultCountry` (ISO 3166 alpha-2).
 *
 * @example
 * toE164('020 7946 0018', 'GB'); // '+442079460018'
 */
export function toE164(raw: string, defaultCountry?: string): string | null {
  const s = raw.trim();
  if (!s || s.length > 40) return null;
  const p = parsePhoneNumberFromString(s, defaultCountry ? { defaultCountry: defaultCountry as CountryCode } : undefined);
  if (!p?.isValid()) return null;
  return p.number;
}
