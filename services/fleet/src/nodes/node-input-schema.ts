import { z } from 'zod';

const sipUri = z
  .string()
  .regex(/^sip:[A-Za-z0-9.-]+:\d{1,5}(;transport=(udp|tcp))?$/, 'sipUri must look like sip:host:port')
  .max(192);

/** Input of `FleetManager.addNode`; bad values get a message naming the field. */
export const addNodeSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'name: lowercase letters, digits, . _ - (max 63)'),
  eslHost: z.string().min(1).max(253),
  eslPort: z.number().int().min(1).max(65535),
  sipUri,
  weight: z.number().int().min(0).max(100).default(1),
  setId: z.number().int().min(1).max(99_999).default(1),
  drainTimeoutSecs: z.number().int().min(1).max(86_400).default(600),
});
export type AddNodeInput = z.input<typeof addNodeSchema>;

export const weightSchema = z.number().int().min(0).max(100);

/** Turns a zod failure into one readable line. */
export function inputError(err: z.ZodError, what: string): Error {
  const msg = err.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`).join('; ');
  return new FleetInputError(`invalid ${what}: ${msg}`);
}

/** A caller mistake; `kind` maps to HTTP: invalid → 400, not_found → 404, conflict → 409. */
export class FleetInputError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid' | 'not_found' | 'conflict' = 'invalid',
  ) {
    super(message);
    this.name = 'FleetInputError';
  }
}
