import { z } from 'zod';

/** Timestamps travel as ISO-8601 strings. */
export const isoDate = z.string().describe('ISO-8601 timestamp');

/** Date (or null) → ISO string (or null). */
export function iso<T extends Date | null>(d: T): T extends Date ? string : string | null {
  return (d ? d.toISOString() : null) as T extends Date ? string : string | null;
}
