import type { Logger, NodeState } from '@switchyard/core';
import type { DispatcherTarget } from '../kamailio/dispatcher-list-parser.ts';
import type { KamailioRpc } from '../kamailio/kamailio-rpc-client.ts';
import { DispatcherSync } from './dispatcher-sync.ts';
import type { FleetDb } from './fleet-db.ts';
import type { CallCounter, EslHealthSource } from './fleet-ports.ts';
import { type AddNodeInput, addNodeSchema, FleetInputError, inputError, weightSchema } from './node-input-schema.ts';
import {
  algorithmName,
  type LifecycleNode,
  nextNodeState,
  PROBE_SET_ID,
  SET_ALGORITHMS,
  type SetAlgorithm,
} from './node-lifecycle.ts';

/** A node with its health from both sides. */
export interface NodeView {
  name: string;
  state: NodeState;
  sipUri: string;
  eslHost: string;
  eslPort: number;
  weight: number;
  setId: number;
  drainStartedAt: Date | null;
  /** Kamailio's dispatcher view of the node; null when Kamailio is unreachable or has no row. */
  sip: { state: DispatcherTarget['state']; flags: string; setId: number } | null;
  eslUp: boolean;
  inFlightCalls: number;
}

export interface FleetManagerDeps {
  db: FleetDb;
  rpc: KamailioRpc;
  esl: EslHealthSource;
  calls: CallCounter;
  log?: Logger;
  /** How long a change keeps retrying Kamailio before it is left to the next tick. */
  rpcRetryForMs?: number;
  now?: () => Date;
}

/** One tick's outcome: state changes made, and whether Kamailio is in step with Postgres. */
export interface TickResult {
  changes: { name: string; from: NodeState; to: NodeState }[];
  kamailioInSync: boolean;
}

type NodeRow = LifecycleNode & { id: number; esl_host: string; esl_port: number };

/**
 * The node lifecycle registered → probing → active → draining → removed, with Postgres as
 * the truth: each change writes `nodes` and `dispatcher`, then tells Kamailio. When
 * Kamailio is away the change stays in the tables and `tick()` (or `reconcile()` at
 * start-up) applies it later.
 *
 * @example
 * const fleet = new FleetManager({ db, rpc, esl: engine, calls: engine });
 * await fleet.reconcile();
 * await fleet.addNode({ name: 'fs1', eslHost: '127.0.0.1', eslPort: 8021, sipUri: 'sip:127.0.0.1:5080' });
 * fleet.start(2_000); // probing → active once SIP and ESL are up; drains complete
 */
export class FleetManager {
  private readonly sync: DispatcherSync;
  private outOfSync = true;
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => Date;

  constructor(private readonly deps: FleetManagerDeps) {
    this.sync = new DispatcherSync(deps.db, deps.rpc, deps.log, deps.rpcRetryForMs ?? 15_000);
    this.now = deps.now ?? (() => new Date());
  }

  /** Start-up: make Kamailio match the database (dispatcher, set algorithms). */
  reconcile(): Promise<boolean> {
    return this.serial(async () => {
      await this.syncKamailio(true);
      return !this.outOfSync;
    });
  }

  /** Registers a node (or revives a removed one of the same name); it starts probing. */
  async addNode(input: AddNodeInput): Promise<NodeView> {
    const parsed = addNodeSchema.safeParse(input);
    if (!parsed.success) throw inputError(parsed.error, 'node');
    const n = parsed.data;
    return this.serial(async () => {
      const existing = await this.find(n.name);
      if (existing && existing.state !== 'removed') throw new FleetInputError(`node ${n.name} already exists (${existing.state})`, 'conflict');
      const clash = await this.deps.db
        .selectFrom('nodes')
        .select('name')
        .where('sip_uri', '=', n.sipUri)
        .where('state', '<>', 'removed')
        .executeTakeFirst();
      if (clash) throw new FleetInputError(`sipUri ${n.sipUri} is already used by node ${clash.name}`, 'conflict');
      const values = {
        esl_host: n.eslHost,
        esl_port: n.eslPort,
        sip_uri: n.sipUri,
        weight: n.weight,
        set_id: n.setId,
        drain_timeout_secs: n.drainTimeoutSecs,
        state: 'registered' as const,
        drain_started_at: null,
        updated_at: this.now(),
      };
      if (existing) await this.deps.db.updateTable('nodes').set(values).where('name', '=', n.name).execute();
      else await this.deps.db.insertInto('nodes').values({ name: n.name, ...values }).execute();
      await this.syncKamailio();
      if (!this.outOfSync) await this.setState(n.name, 'probing');
      return this.view(n.name);
    });
  }

  /** Changes a node's weight (used by the weighted algorithm). */
  async setWeight(name: string, weight: number): Promise<NodeView> {
    const w = weightSchema.safeParse(weight);
    if (!w.success) throw inputError(w.error, 'weight');
    return this.serial(async () => {
      await this.mustFind(name);
      await this.deps.db.updateTable('nodes').set({ weight: w.data, updated_at: this.now() }).where('name', '=', name).execute();
      await this.syncKamailio();
      return this.view(name);
    });
  }

  /**
   * Stops new calls to an active node at once (`set_state d`) and for good (flags=4 in the
   * table, so a reload or probing cannot undo it); in-dialog requests still route. The
   * drain completes (node removed) at zero in-flight calls or after its drain timeout.
   */
  drain(name: string): Promise<NodeView> {
    return this.serial(async () => {
      const node = await this.mustFind(name);
      if (node.state === 'draining') return this.view(name);
      if (node.state !== 'active') throw new FleetInputError(`node ${name} is ${node.state}; only an active node drains`, 'conflict');
      await this.deps.db
        .updateTable('nodes')
        .set({ state: 'draining', drain_started_at: this.now(), updated_at: this.now() })
        .where('name', '=', name)
        .execute();
      await this.sync.setState('d', node.set_id, node.sip_uri).catch((err) => this.warn(err, 'set_state d'));
      await this.syncKamailio();
      return this.view(name);
    });
  }

  /** Cancels a drain: the node goes back to probing and rejoins when SIP and ESL are up. */
  resume(name: string): Promise<NodeView> {
    return this.serial(async () => {
      const node = await this.mustFind(name);
      if (node.state !== 'draining') throw new FleetInputError(`node ${name} is ${node.state}, not draining`, 'conflict');
      await this.setState(name, 'probing');
      await this.syncKamailio();
      return this.view(name);
    });
  }

  /** Removes a node. An active node with calls must be drained first unless `force`. */
  remove(name: string, { force = false } = {}): Promise<NodeView> {
    return this.serial(async () => {
      const node = await this.mustFind(name);
      if (node.state === 'removed') return this.view(name);
      if (!force && node.state === 'active' && this.deps.calls.inFlightCalls(name) > 0) {
        throw new FleetInputError(`node ${name} has calls in flight; drain it first or force`, 'conflict');
      }
      await this.setState(name, 'removed');
      await this.syncKamailio();
      return this.view(name);
    });
  }

  /** Sets the dispatcher algorithm of a set (Postgres, then Kamailio's dsalg table). */
  async setSetAlgorithm(setId: number, algorithm: SetAlgorithm, description = ''): Promise<void> {
    if (!Number.isInteger(setId) || setId < 1 || setId >= PROBE_SET_ID) throw new FleetInputError(`invalid set id ${setId}`);
    const alg = SET_ALGORITHMS[algorithm];
    if (alg === undefined) throw new FleetInputError(`unknown algorithm ${algorithm}; use ${Object.keys(SET_ALGORITHMS).join(', ')}`);
    return this.serial(async () => {
      await this.deps.db
        .insertInto('dispatcher_sets')
        .values({ setid: setId, algorithm: alg, description: description.slice(0, 64) })
        .onConflict((oc) => oc.column('setid').doUpdateSet({ algorithm: alg, description: description.slice(0, 64) }))
        .execute();
      await this.syncKamailio();
    });
  }

  /** Every set with its algorithm. */
  async listSets(): Promise<{ setId: number; algorithm: SetAlgorithm | 'unknown'; description: string }[]> {
    const rows = await this.deps.db.selectFrom('dispatcher_sets').selectAll().orderBy('setid').execute();
    return rows.map((r) => ({ setId: r.setid, algorithm: algorithmName(r.algorithm), description: r.description }));
  }

  /** Nodes (removed ones only if asked) with health from Kamailio and the engine. */
  async list({ includeRemoved = false } = {}): Promise<NodeView[]> {
    let q = this.deps.db.selectFrom('nodes').selectAll().orderBy('id');
    if (!includeRemoved) q = q.where('state', '<>', 'removed');
    const rows = (await q.execute()) as NodeRow[];
    const targets = await this.sync.targets();
    return rows.map((r) => this.toView(r, targets));
  }

  /** One node's view; throws FleetInputError for an unknown name. */
  async view(name: string): Promise<NodeView> {
    const node = await this.mustFind(name);
    return this.toView(node, await this.sync.targets());
  }

  /** One lifecycle step for every node; also re-applies changes Kamailio missed. */
  tick(): Promise<TickResult> {
    return this.serial(async () => {
      if (this.outOfSync) await this.syncKamailio();
      const nodes = (await this.deps.db.selectFrom('nodes').selectAll().where('state', '<>', 'removed').execute()) as NodeRow[];
      const targets = await this.sync.targets();
      const changes: TickResult['changes'] = [];
      for (const node of nodes) {
        let to: NodeState;
        if (node.state === 'registered') to = this.outOfSync ? 'registered' : 'probing';
        else {
          const target = findTarget(node, targets);
          to = nextNodeState(node, {
            sipUp: targets === null ? null : target?.state === 'active',
            eslUp: this.deps.esl.isEslUp(node.name),
            inFlightCalls: this.deps.calls.inFlightCalls(node.name),
            now: this.now(),
          });
        }
        if (to !== node.state) {
          await this.setState(node.name, to);
          changes.push({ name: node.name, from: node.state, to });
        }
      }
      if (changes.some((c) => c.from !== 'registered')) await this.syncKamailio();
      for (const c of changes) this.deps.log?.info(c, 'node state changed');
      return { changes, kamailioInSync: !this.outOfSync };
    });
  }

  /** Runs `tick()` every `intervalMs` until `stop()`. */
  start(intervalMs = 2_000): void {
    if (this.timer) return;
    let ticking = false;
    this.timer = setInterval(() => {
      // A slow tick (Kamailio retrying) must not pile further ticks up behind it.
      if (ticking) return;
      ticking = true;
      this.tick()
        .catch((err) => this.warn(err, 'fleet tick'))
        .finally(() => {
          ticking = false;
        });
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the ticker and waits for the operation in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.chain.catch(() => {});
  }

  private async syncKamailio(withAlgorithms = true): Promise<void> {
    try {
      await this.sync.apply();
      if (withAlgorithms) await this.sync.reloadAlgorithms();
      this.outOfSync = false;
    } catch (err) {
      this.outOfSync = true;
      this.warn(err, 'Kamailio not updated; will retry on next tick');
    }
  }

  private async setState(name: string, state: NodeState): Promise<void> {
    const drain = state === 'draining' ? {} : { drain_started_at: null };
    await this.deps.db
      .updateTable('nodes')
      .set({ state, ...drain, updated_at: this.now() })
      .where('name', '=', name)
      .execute();
  }

  private async find(name: string): Promise<NodeRow | undefined> {
    return (await this.deps.db.selectFrom('nodes').selectAll().where('name', '=', name).executeTakeFirst()) as NodeRow | undefined;
  }

  private async mustFind(name: string): Promise<NodeRow> {
    const node = await this.find(name);
    if (!node) throw new FleetInputError(`unknown node ${name}`, 'not_found');
    return node;
  }

  private toView(r: NodeRow, targets: DispatcherTarget[] | null): NodeView {
    const t = findTarget(r, targets);
    return {
      name: r.name,
      state: r.state,
      sipUri: r.sip_uri,
      eslHost: r.esl_host,
      eslPort: r.esl_port,
      weight: r.weight,
      setId: r.set_id,
      drainStartedAt: r.drain_started_at,
      sip: t ? { state: t.state, flags: t.flags, setId: t.setId } : null,
      eslUp: this.deps.esl.isEslUp(r.name) === true,
      inFlightCalls: this.deps.calls.inFlightCalls(r.name),
    };
  }

  /** Mutations run one at a time so table writes and reloads never interleave. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.catch(() => {}).then(fn);
    this.chain = p;
    return p;
  }

  private warn(err: unknown, what: string): void {
    this.deps.log?.warn({ err: (err as Error).message }, what);
  }
}

function findTarget(node: LifecycleNode, targets: DispatcherTarget[] | null): DispatcherTarget | undefined {
  if (!targets) return undefined;
  const setId = node.state === 'registered' || node.state === 'probing' ? PROBE_SET_ID : node.set_id;
  return targets.find((t) => t.setId === setId && t.uri === node.sip_uri);
}
