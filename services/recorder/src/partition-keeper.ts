import type { Database } from '@switchyard/core';
import { type Kysely, sql } from 'kysely';

/**
 * Creates call_legs day partitions ahead and, when `retentionDays` > 0, drops the ones
 * older than that (with the matching IVR steps).
 *
 * @example
 * await new PartitionKeeper(db, { daysAhead: 7, retentionDays: 400 }).run();
 */
export class PartitionKeeper {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly o: { daysAhead?: number; retentionDays?: number } = {},
  ) {}

  async run(): Promise<{ created: number; dropped: number }> {
    const c = await sql<{ n: number }>`SELECT switchyard_ensure_call_leg_partitions(1, ${this.o.daysAhead ?? 7}) AS n`.execute(
      this.db,
    );
    let dropped = 0;
    if ((this.o.retentionDays ?? 0) > 0) {
      const d = await sql<{ n: number }>`SELECT switchyard_drop_call_leg_partitions(${this.o.retentionDays}) AS n`.execute(this.db);
      dropped = d.rows[0]!.n;
      await sql`DELETE FROM call_kpi_5min WHERE bucket < ((now() AT TIME ZONE 'UTC')::date - ${this.o.retentionDays}::int)::timestamp AT TIME ZONE 'UTC'`.execute(
        this.db,
      );
    }
    return { created: c.rows[0]!.n, dropped };
  }
}
