import type { Logger } from '@switchyard/core';
import { CoalescedTask } from '../kamailio/coalesced-task.ts';
import { type DispatcherTarget, parseDispatcherList } from '../kamailio/dispatcher-list-parser.ts';
import type { KamailioRpc } from '../kamailio/kamailio-rpc-client.ts';
import type { FleetDb } from './fleet-db.ts';
import { dispatcherRowFor, PROBE_SET_ID } from './node-lifecycle.ts';

/**
 * Writes Kamailio's `dispatcher` table from `nodes` (the truth), then tells Kamailio.
 * Reloads are coalesced and retried while Kamailio is away or busy ("Ongoing reload").
 * Because a reload resets every destination to its DB flags (trap 2), destinations that
 * probing had found down are put back to inactive+probing right after the reload, so a
 * dead node is not handed calls until its next probe.
 */
export class DispatcherSync {
  private readonly reload: CoalescedTask;

  constructor(
    private readonly db: FleetDb,
    private readonly rpc: KamailioRpc,
    private readonly log?: Logger,
    private readonly retryForMs = 15_000,
  ) {
    this.reload = new CoalescedTask(() => this.reloadOnce());
  }

  /** Rewrites the dispatcher table from the nodes table in one transaction. */
  async writeTable(): Promise<void> {
    const nodes = await this.db.selectFrom('nodes').selectAll().where('state', '<>', 'removed').orderBy('id').execute();
    const rows = nodes.map(dispatcherRowFor).filter((r) => r !== null);
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('dispatcher').execute();
      if (rows.length > 0) await tx.insertInto('dispatcher').values(rows).execute();
    });
  }

  /** Table, then Kamailio. Resolves once Kamailio has reloaded; throws if it stayed away. */
  async apply(): Promise<void> {
    await this.writeTable();
    await this.reload.run();
  }

  /** Reload the dsalg htable (set algorithms) from `dispatcher_sets`. */
  async reloadAlgorithms(): Promise<void> {
    await this.rpc.call('htable.reload', ['dsalg'], { retryForMs: this.retryForMs });
  }

  /** Kamailio's current view, or null when it cannot be reached. */
  async targets(): Promise<DispatcherTarget[] | null> {
    try {
      return parseDispatcherList(await this.rpc.call('dispatcher.list', [], { retryForMs: 0 }));
    } catch (err) {
      // An empty dispatcher answers with an error too; treat "no sets" as an empty list.
      if (/no destination sets/i.test(String((err as Error).message))) return [];
      return null;
    }
  }

  /** `dispatcher.set_state` (state letters as Kamailio takes them, e.g. "d", "ip"). */
  async setState(state: string, setId: number, uri: string): Promise<void> {
    await this.rpc.call('dispatcher.set_state', [state, setId, uri], { retryForMs: this.retryForMs });
  }

  private async reloadOnce(): Promise<void> {
    const before = await this.targets();
    // Only nodes probing has given up on; "trying" ones still take calls.
    const down = (before ?? []).filter((t) => t.setId !== PROBE_SET_ID && t.state === 'inactive');
    await this.rpc.call('dispatcher.reload', [], { retryForMs: this.retryForMs });
    for (const t of down) {
      // Gone from the table since: Kamailio answers "State Update Failed"; nothing to do.
      await this.rpc.call('dispatcher.set_state', ['ip', t.setId, t.uri], { retryForMs: 0 }).catch(() => {});
    }
    this.log?.debug({ restoredDown: down.length }, 'dispatcher reloaded');
  }
}
