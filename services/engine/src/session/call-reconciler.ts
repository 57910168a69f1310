import type { EslEvent } from '../esl/esl-event.ts';
import { eventFromRecord } from '../esl/esl-event.ts';
import type { NodeLink } from '../nodes/node-link.ts';
import type { CallOwnership } from '../ownership/call-ownership.ts';
import type { CallSnapshot } from '../ownership/call-snapshot.ts';
import type { CallLogSink } from './call-log-emitter.ts';
import { CallLogEmitter } from './call-log-emitter.ts';
import type { EngineStats } from './engine-stats.ts';

/** What the reconciler needs from the engine. */
export interface ReconcileTarget {
  readonly stats: EngineStats;
  readonly registry: {
    onNode(node: string): { callId: string; driver: { resync(): void }; lost(cause: string): void }[];
    has(callId: string): boolean;
  };
  admitParked(node: string, uuid: string, ev: EslEvent, snapshot?: CallSnapshot): Promise<void>;
}

/** Options of {@link CallReconciler}. */
export interface CallReconcilerOptions {
  engine: ReconcileTarget;
  ownership: CallOwnership;
  link(node: string): NodeLink | undefined;
  calllog: CallLogSink;
  engineId: string;
  warn(obj: object, msg: string): void;
}

/**
 * Puts the world back together after something broke:
 * - after an ESL reconnect (`show channels as json`): calls still up carry on (their
 *   pending apps are resynced), calls that vanished are logged as lost, parked channels
 *   nobody drives are admitted (their PARK was lost in the gap);
 * - on a timer: calls of an engine whose lease lapsed are re-attached from their snapshot
 *   when their channel still exists, or logged as lost when it does not.
 */
export class CallReconciler {
  private scanning = false;

  constructor(private readonly o: CallReconcilerOptions) {}

  /** After a reconnect to `node`. */
  async afterReconnect(node: string): Promise<void> {
    const link = this.o.link(node);
    if (!link?.up) return;
    let rows: Record<string, string>[];
    try {
      rows = parseChannels(await link.api('show channels as json'));
    } catch (err) {
      this.o.warn({ node, err: String(err) }, 'reconcile: show channels failed');
      return;
    }
    const live = new Map(rows.map((r) => [r.uuid ?? '', r]));
    for (const s of this.o.engine.registry.onNode(node)) {
      if (live.has(s.callId)) s.driver.resync();
      else {
        this.o.engine.stats.lostInOutage++;
        s.lost('ESL_OUTAGE_CHANNEL_GONE');
      }
    }
    for (const [uuid, row] of live) {
      if (!uuid || this.o.engine.registry.has(uuid) || row.application !== 'park') continue;
      const owner = await this.o.ownership.owner(uuid).catch(() => null);
      if (owner === this.o.engineId) continue;
      const snap = owner ? await this.o.ownership.loadSnapshot(uuid).catch(() => undefined) : undefined;
      if (owner && !snap) continue;
      await this.o.engine.admitParked(node, uuid, snap ? rowEvent(row) : await this.parkedEvent(link, row), snap);
    }
  }

  /**
   * The PARK a channel would have sent: `show channels` has no channel variables, so an
   * outbound channel (maybe a dialer's campaign call, `sy_flow_id`) is dumped for them.
   */
  private async parkedEvent(link: NodeLink, row: Record<string, string | undefined>): Promise<EslEvent> {
    if (row.direction !== 'outbound') return rowEvent(row);
    try {
      const dump = JSON.parse(await link.api(`uuid_dump ${row.uuid} json`)) as Record<string, string>;
      return eventFromRecord({ ...dump, 'Event-Name': 'CHANNEL_PARK', 'Unique-ID': row.uuid });
    } catch {
      return rowEvent(row);
    }
  }

  /** One takeover pass over engines whose lease lapsed. Never overlaps itself. */
  async scan(): Promise<void> {
    if (this.scanning) return;
    this.scanning = true;
    try {
      for (const dead of await this.o.ownership.lapsedEngines()) {
        for (const uuid of await this.o.ownership.callsOf(dead)) await this.takeOver(dead, uuid);
        await this.o.ownership.forgetEngine(dead);
      }
    } catch (err) {
      this.o.warn({ err: String(err) }, 'takeover scan failed');
    } finally {
      this.scanning = false;
    }
  }

  private async takeOver(dead: string, uuid: string): Promise<void> {
    const snap = await this.o.ownership.loadSnapshot(uuid);
    if (!snap) return this.o.ownership.disown(dead, uuid);
    const link = this.o.link(snap.node);
    if (!link?.up) return; // another engine with a link to that node may take it
    const exists = (await link.api(`uuid_exists ${uuid}`).catch(() => '')).trim() === 'true';
    if (!exists || snap.flavour === 'outbound') {
      // The channel is gone, or it was an outbound socket that died with its engine.
      if (await this.o.ownership.claim(uuid, snap.node, false)) {
        if (exists) await link.hangup(uuid, 'NORMAL_TEMPORARY_FAILURE').catch(() => {});
        this.logLost(snap, exists ? 'ENGINE_LOST_SOCKET' : 'ENGINE_LOST');
        await this.o.ownership.release(uuid, snap.node);
      }
      return this.o.ownership.disown(dead, uuid);
    }
    // The dead engine's queued media would delay us (event-lock): stop it, then restart the flow.
    await link.api(`uuid_break ${uuid} all`).catch(() => {});
    await this.o.engine.admitParked(snap.node, uuid, rowEvent({ uuid }), snap);
    if (this.o.engine.registry.has(uuid)) await this.o.ownership.disown(dead, uuid);
  }

  private logLost(s: CallSnapshot, cause: string): void {
    const log = new CallLogEmitter(
      this.o.calllog,
      // A dialer leg's end is the dialer's to log (it hears the hang-up itself).
      { legId: s.callId, direction: s.direction, startedAt: new Date(s.startedAt), node: s.node, engineId: this.o.engineId, ...(s.dialer ? { lifecycleByDialer: true } : {}) },
      s.seq,
    );
    log.hungUp({ 'Hangup-Cause': cause });
  }
}

/** Rows of `show channels as json` (`{"row_count":n,"rows":[...]}`; empty output when none). */
export function parseChannels(text: string): Record<string, string>[] {
  const t = text.trim();
  // FreeSWITCH answers `{"row_count": 0}` when idle; anything else (`-ERR …`) is a failed
  // query, never "no channels" — treating it as empty would end every call on the node.
  if (!t.startsWith('{')) throw new Error(`show channels as json: ${t.slice(0, 120) || 'empty reply'}`);
  const v = JSON.parse(t) as { rows?: Record<string, string>[] };
  return Array.isArray(v.rows) ? v.rows : [];
}

function rowEvent(row: Record<string, string | undefined>): EslEvent {
  return eventFromRecord({
    'Event-Name': 'CHANNEL_PARK',
    'Unique-ID': row.uuid,
    'Call-Direction': row.direction,
    'Caller-Caller-ID-Number': row.cid_num,
    'Caller-Destination-Number': row.dest,
  });
}
