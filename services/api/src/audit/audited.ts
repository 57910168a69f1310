import { actorOf, type Principal } from '../auth/roles.ts';
import type { AuditLog } from './audit-log.ts';

/**
 * Runs a change and records it: reads `before`, applies, records who/what/before/after.
 * Used where the domain library does not audit the change itself.
 */
export async function audited<T>(
  audit: AuditLog,
  who: Principal,
  what: { action: string; entity: string; entityId: string | null },
  before: () => Promise<unknown>,
  change: () => Promise<T>,
): Promise<T> {
  const b = await before();
  const after = await change();
  await audit.record({ actor: actorOf(who), ...what, before: b, after });
  return after;
}
