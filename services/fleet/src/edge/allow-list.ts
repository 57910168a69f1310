import { isIP } from 'node:net';
import type { Logger } from '@switchyard/core';
import { z } from 'zod';
import { CoalescedTask } from '../kamailio/coalesced-task.ts';
import type { KamailioRpc } from '../kamailio/kamailio-rpc-client.ts';
import type { FleetDb } from '../nodes/fleet-db.ts';
import { FleetInputError, inputError } from '../nodes/node-input-schema.ts';

/** One allow-list entry (a row of Kamailio's `address` table). */
export interface AllowEntry {
  id: number;
  /** Trunk group; calls from group N are dispatched to dispatcher set N. */
  group: number;
  ip: string;
  mask: number;
  /** 0 = any source port. */
  port: number;
  tag: string | null;
}

const addSchema = z.object({
  /** An address or CIDR, e.g. `203.0.113.7` or `203.0.113.0/24`. */
  source: z.string().min(2).max(60),
  group: z.number().int().min(1).max(99_999).default(1),
  port: z.number().int().min(0).max(32_767).default(0),
  tag: z.string().max(64).nullable().default(null),
});
export type AllowEntryInput = z.input<typeof addSchema>;

/**
 * Parses `ip` or `ip/mask` into the address table's columns. Rejects a /0 (which would
 * allow the whole Internet to send calls) and masks wider than the address family.
 */
export function parseSource(source: string): { ip: string; mask: number } {
  const [ip = '', maskText] = source.trim().split('/');
  const family = isIP(ip);
  if (family === 0) throw new FleetInputError(`invalid source ${source}: not an IP address`);
  const max = family === 4 ? 32 : 128;
  const mask = maskText === undefined ? max : Number(maskText);
  if (!Number.isInteger(mask) || mask < 1 || mask > max) {
    throw new FleetInputError(`invalid source ${source}: mask must be 1..${max}`);
  }
  return { ip, mask };
}

/**
 * Default-deny allow-list: only sources in `address` may send calls. Writes the table,
 * then `permissions.addressReload` (coalesced, retried while Kamailio is away or busy).
 *
 * @example
 * await allowList.add({ source: '203.0.113.0/24', group: 1, tag: 'carrier-a' });
 */
export class AllowList {
  private readonly reload: CoalescedTask;

  constructor(
    private readonly db: FleetDb,
    private readonly rpc: KamailioRpc,
    private readonly log?: Logger,
  ) {
    this.reload = new CoalescedTask(async () => {
      await this.rpc.call('permissions.addressReload');
    });
  }

  /** Adds an entry (idempotent: the same source/group/port is not duplicated). */
  async add(input: AllowEntryInput): Promise<AllowEntry> {
    const p = addSchema.safeParse(input);
    if (!p.success) throw inputError(p.error, 'allow-list entry');
    const { ip, mask } = parseSource(p.data.source);
    const same = await this.db
      .selectFrom('address')
      .selectAll()
      .where('ip_addr', '=', ip)
      .where('mask', '=', mask)
      .where('port', '=', p.data.port)
      .where('grp', '=', p.data.group)
      .executeTakeFirst();
    const row =
      same ??
      (await this.db
        .insertInto('address')
        .values({ grp: p.data.group, ip_addr: ip, mask, port: p.data.port, tag: p.data.tag })
        .returningAll()
        .executeTakeFirstOrThrow());
    await this.tell();
    return toEntry(row);
  }

  /** Removes an entry by id; false if there was none. */
  async remove(id: number): Promise<boolean> {
    const res = await this.db.deleteFrom('address').where('id', '=', id).executeTakeFirst();
    await this.tell();
    return Number(res.numDeletedRows) > 0;
  }

  async list(): Promise<AllowEntry[]> {
    return (await this.db.selectFrom('address').selectAll().orderBy('id').execute()).map(toEntry);
  }

  /** Reloads Kamailio from the table (start-up reconcile); throws if Kamailio stays away. */
  async reconcile(): Promise<void> {
    await this.reload.run();
  }

  private async tell(): Promise<void> {
    await this.reload.run().catch((err) => {
      this.log?.warn({ err: (err as Error).message }, 'allow-list saved; Kamailio not reloaded yet');
      throw new Error(`allow-list saved in Postgres but Kamailio did not reload: ${(err as Error).message}`);
    });
  }
}

function toEntry(r: { id: number; grp: number; ip_addr: string; mask: number; port: number; tag: string | null }): AllowEntry {
  return { id: r.id, group: r.grp, ip: r.ip_addr, mask: r.mask, port: r.port, tag: r.tag };
}
