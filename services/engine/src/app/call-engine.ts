import type { OutboundConnection } from '@switchyard/esl';
import type { LookupPort } from '@switchyard/ivr';
import { InboundChannelControl } from '../driver/inbound-channel-control.ts';
import { OutboundChannelControl } from '../driver/outbound-channel-control.ts';
import type { EslEvent } from '../esl/esl-event.ts';
import type { NodeLink, NodeLinkHandlers } from '../nodes/node-link.ts';
import type { CallOwnership } from '../ownership/call-ownership.ts';
import type { CallSnapshot } from '../ownership/call-snapshot.ts';
import { SnapshotWriter } from '../ownership/snapshot-writer.ts';
import type { DidRoute } from '../routing/did-route-cache.ts';
import { CallLogEmitter, type CallLogSink, type LegInfo } from '../session/call-log-emitter.ts';
import { type CallFactoryOptions, createCallSession, type NewCall } from '../session/call-factory.ts';
import { type CallMetricsPort, callEndFrom } from '../session/call-outcome.ts';
import { DIALER_LEG_FIRST_SEQ, type DialerLeg, dialerLegFromEvent, dialerLegVars } from '../session/dialer-leg.ts';
import type { CallSession, FlowErrorAction } from '../session/call-session.ts';
import { type EngineStats, emptyStats } from '../session/engine-stats.ts';
import type { FlowHandle, FlowRunner, FlowSource } from '../session/flow-ports.ts';
import { SessionRegistry } from '../session/session-registry.ts';

/** Room left for events a dead owner emitted after its last snapshot (a few per state). */
const SEQ_GAP_AFTER_TAKEOVER = 1_000;

/** The logger subset the engine uses (pino fits). */
export interface EngineLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** Nodes as the engine needs them (the NodeManager fits). */
export interface EngineNodes {
  get(node: string): NodeLink | undefined;
  accepting(node: string): boolean;
  callEnded(node: string): void;
}

/** Drain state (core's DrainController fits). */
export interface EngineDrain {
  readonly draining: boolean;
  track(): () => void;
}

/** Options of {@link CallEngine}. */
export interface CallEngineOptions<F extends FlowHandle> {
  engineId: string;
  ownership: CallOwnership;
  routes: { resolve(dialled: string): DidRoute | undefined };
  flows: FlowSource<F>;
  run: FlowRunner<F>;
  /** Lookups every flow gets (`dnc.add`, `account.balance`). */
  lookups?: LookupPort;
  calllog: CallLogSink;
  drain: EngineDrain;
  log: EngineLogger;
  maxCalls: number;
  appTimeoutMs: number;
  commandTimeoutMs: number;
  /** Flow for DIDs without a route (empty: reject politely). */
  defaultFlowId?: string;
  errorAction: FlowErrorAction;
  transferContext?: string;
  /** Where parked calls routed to the outbound flavour are sent (`socket` app). */
  outboundSocket?: { host: string; port: number };
  /** Wait for the hangup event after the flow hung up before logging our own (default 5 s). */
  hangupGraceMs?: number;
  /** Call-end and IVR step metrics (in memory, no I/O). */
  metrics?: CallMetricsPort;
}

/**
 * The engine's hot path: turns node events and outbound sockets into owned call
 * sessions. Per event: one Map lookup by Unique-ID. Admission claims the call in Redis,
 * routes by DID from memory, and starts the flow; the end releases everything.
 */
export class CallEngine<F extends FlowHandle = FlowHandle> {
  readonly registry: SessionRegistry<CallSession<F>>;
  readonly stats: EngineStats = emptyStats();
  private nodes: EngineNodes | undefined;
  private readonly seen = new Set<string>();
  /** Takeover snapshots of every call, one Redis command per event-loop turn. */
  private readonly snapshots: SnapshotWriter;
  /** What every session shares (built once, not per call). */
  private readonly sessionOptions: CallFactoryOptions<F>;

  constructor(private readonly o: CallEngineOptions<F>) {
    this.registry = new SessionRegistry(o.maxCalls);
    this.snapshots = new SnapshotWriter({ write: (batch) => o.ownership.saveSnapshots(batch) });
    const m = o.metrics;
    this.sessionOptions = {
      deps: {
        flows: o.flows,
        run: o.run,
        ...(o.lookups ? { lookups: o.lookups } : {}),
        saveSnapshot: (s) => this.snapshots.save(s),
        errorAction: o.errorAction,
        hangupGraceMs: o.hangupGraceMs ?? 5_000,
        ...(m ? { metrics: m } : {}),
        warn: (obj, msg) => {
          this.stats.flowErrors++;
          o.log.warn(obj, msg);
        },
      },
      appTimeoutMs: o.appTimeoutMs,
      transferContext: o.transferContext ?? 'default',
      ...(m ? { onAppCompleted: (app: string, ms: number) => m.appCompleted(app, ms) } : {}),
    };
  }

  /** Connects the node manager (it is built with {@link nodeHandlers}, hence the late binding). */
  attachNodes(nodes: EngineNodes): void {
    this.nodes = nodes;
  }

  /** Handlers for every node link; `onUp`/`onDown` are extended by the reconciler. */
  nodeHandlers(extra?: Partial<NodeLinkHandlers>): NodeLinkHandlers {
    return {
      onEvent: (node, ev) => this.onNodeEvent(node, ev),
      onUp: (node, re) => {
        this.o.log.info({ node, reconnect: re }, 'ESL link up');
        extra?.onUp?.(node, re);
      },
      onDown: (node, err) => {
        this.o.log.warn({ node, err: err?.message }, 'ESL link down');
        extra?.onDown?.(node, err);
      },
    };
  }

  /** One node event: O(1) dispatch by Unique-ID; new parked calls are admitted. */
  onNodeEvent(node: string, ev: EslEvent): void {
    const uuid = ev.uniqueId;
    // Read once: each header read is a scan of the event.
    const name = ev.name;
    const s = this.registry.get(uuid);
    if (s) {
      if (!s.acceptsNodeEvents) return;
      if (name !== 'CHANNEL_EXECUTE_COMPLETE') s.handleEvent(ev, name);
      else if (!s.driver.handleEvent(ev, name)) this.stats.lateCompletions++;
      return;
    }
    // A channel parked by the `socket` app belongs to that socket's engine, not to us.
    if (name === 'CHANNEL_PARK' && uuid && ev.get('variable_current_application') !== 'socket') {
      void this.admitParked(node, uuid, ev);
      return;
    }
    this.stats.unknownEvents++;
  }

  /**
   * A parked channel nobody drives yet: claim, route, run. A channel the dialer originated
   * (`sy_flow_id` set) runs its campaign's flow instead of DID routing. Never throws.
   */
  async admitParked(node: string, uuid: string, ev: EslEvent, snapshot?: CallSnapshot): Promise<void> {
    // The same PARK reaches every engine on the node (and re-parks repeat it): admit once.
    if (this.seen.has(uuid) || this.registry.has(uuid)) return;
    if (!snapshot && (this.o.drain.draining || !this.nodes?.accepting(node))) return;
    this.seen.add(uuid);
    try {
      const won = await this.o.ownership.claim(uuid, node, !snapshot).catch((err: unknown) => {
        this.o.log.warn({ uuid, err: String(err) }, 'claim failed (Redis?)');
        return false;
      });
      if (!won) {
        this.stats.claimsLost++;
        return;
      }
      const dialer = snapshot ? snapshot.dialer : dialerLegFromEvent(ev);
      const call = snapshot ? callFromSnapshot(snapshot) : dialer ? callFromDialerLeg(uuid, dialer) : callFromEvent(ev);
      const control = new InboundChannelControl(uuid, () => this.nodes?.get(node));
      await this.start(node, 'inbound', call, control, snapshot, undefined, dialer);
    } finally {
      this.seen.delete(uuid);
    }
  }

  /** One outbound socket (the `socket` dialplan app): subscribe, linger, claim, run. */
  async onOutboundConnection(oc: OutboundConnection): Promise<void> {
    const uuid = oc.uniqueId;
    const node = oc.channel('FreeSWITCH-Switchname') ?? oc.channel('FreeSWITCH-Hostname') ?? 'unknown';
    if (this.o.drain.draining || !uuid) {
      await oc.hangup('SWITCH_CONGESTION').catch(() => {});
      await oc.exit().catch(() => {});
      return;
    }
    // Claim first: nobody else may start driving this channel meanwhile.
    if (!(await this.o.ownership.claim(uuid, node, true).catch(() => false))) {
      this.stats.claimsLost++;
      await oc.exit().catch(() => {});
      return;
    }
    try {
      await oc.myevents('json', { timeoutMs: this.o.commandTimeoutMs });
      await oc.linger(undefined, { timeoutMs: this.o.commandTimeoutMs });
    } catch (err) {
      await this.o.ownership.release(uuid, node).catch(() => {});
      throw err;
    }
    const nodeApi = (cmd: string) => this.nodes?.get(node)?.api(cmd) ?? Promise.reject(new Error('no node link'));
    const control = new OutboundChannelControl(oc, { commandTimeoutMs: this.o.commandTimeoutMs, nodeApi });
    const call = callFromEvent({ name: '', uniqueId: uuid, get: (h) => oc.channel(h) });
    let session: CallSession<F> | undefined;
    oc.on('event', (ev) => session?.handleEvent(ev));
    oc.once('close', () => session?.lost('ENGINE_SOCKET_CLOSED'));
    session = await this.start(node, 'outbound', call, control, undefined, 'outbound');
    await session?.done;
    await oc.exit().catch(() => {});
  }

  /** Sessions this engine drives now. */
  get activeCalls(): number {
    return this.registry.size;
  }

  /** Calls up longer than `ms` without a hangup (scrape time: O(calls), never per event). */
  stuckCalls(ms: number, now = Date.now()): number {
    let n = 0;
    for (const s of this.registry.all()) if (now - s.startedAt > ms && !s.driver.isHungUp) n++;
    return n;
  }

  /**
   * After this engine's lease lapsed (Redis unreachable for longer than the lease), peers
   * may have taken calls over: stop driving every call whose owner is no longer us.
   */
  async dropLostCalls(): Promise<number> {
    let dropped = 0;
    for (const s of [...this.registry.all()]) {
      const owner = await this.o.ownership.owner(s.callId).catch(() => this.o.engineId);
      if (owner !== null && owner !== this.o.engineId) {
        s.relinquish();
        dropped++;
      }
    }
    if (dropped) this.o.log.warn({ dropped }, 'lease lapsed: calls taken over by peers were let go');
    return dropped;
  }

  /** Ends every call now with `cause` (drain deadline); each is logged with it. */
  async terminateAll(cause: string): Promise<void> {
    await Promise.all([...this.registry.all()].map((s) => s.terminate(cause)));
  }

  private async start(
    node: string,
    flavour: 'inbound' | 'outbound',
    call: NewCall['call'],
    control: NewCall['control'],
    snapshot?: CallSnapshot,
    routeFlavour?: 'outbound',
    dialer?: DialerLeg,
  ): Promise<CallSession<F> | undefined> {
    const startedAt = snapshot?.startedAt ?? dialer?.startedAt ?? Date.now();
    const route = snapshot || dialer ? undefined : this.route(call.to);
    const flowId = snapshot?.flowId ?? dialer?.flowId ?? route?.flowId;
    const flow = flowId ? this.o.flows.get(flowId) : undefined;
    // Events the dead owner sent after its last snapshot keep their numbers: skip past them.
    const firstSeq = snapshot ? snapshot.seq + SEQ_GAP_AFTER_TAKEOVER : dialer ? DIALER_LEG_FIRST_SEQ : 0;
    const log = new CallLogEmitter(this.o.calllog, this.legInfo(node, call, startedAt, flow, dialer), firstSeq);
    if (!routeFlavour && route?.flavour === 'outbound' && this.o.outboundSocket && !snapshot) {
      return this.handToSocket(node, call.callId, control);
    }
    if (!snapshot) log.created();
    // The dialer's `&park()` runs after the answer: its legs are up already.
    const answered = snapshot?.answered ?? dialer !== undefined;
    const session = createCallSession<F>(
      {
        callId: call.callId,
        node,
        flavour,
        call,
        startedAt,
        answered,
        control,
        log,
        ...(dialer ? { dialer } : {}),
        // Same flow version as the snapshot's: resume where it was, else start afresh.
        ...(snapshot?.state && flow?.version === snapshot.flowVersion ? { resumeState: snapshot.state } : {}),
      },
      this.sessionOptions,
    );
    if (!flow || !this.registry.add(session)) {
      this.stats.rejected++;
      const cause = flow ? 'SWITCH_CONGESTION' : 'UNALLOCATED_NUMBER';
      this.o.log.warn({ callId: call.callId, to: call.to, cause }, 'call rejected');
      await control.hangup(cause).catch(() => {});
      log.hungUp({ 'Hangup-Cause': cause });
      this.o.metrics?.callEnded(callEndFrom({ 'Hangup-Cause': cause }, { direction: dialer ? 'outbound' : call.direction, node, answeredAt: answered ? startedAt : null, now: Date.now() }));
      await this.o.ownership.release(call.callId, node).catch(() => {});
      return undefined;
    }
    if (snapshot) this.stats.takenOver++;
    this.stats.callsStarted++;
    if (dialer && !snapshot) {
      this.stats.dialerHandoffs++;
      void this.o.ownership.markHandoff(call.callId).catch((err: unknown) => this.o.log.warn({ callId: call.callId, err: String(err) }, 'hand-off marker not written'));
    }
    // Drain waits for flows, not for calls already handed elsewhere; ownership (driving)
    // ends with the flow; the registry follows the channel until its hangup is logged.
    const releaseDrain = this.o.drain.track();
    void session.flowDone.then(() => {
      releaseDrain();
      this.snapshots.drop(call.callId);
      void this.o.ownership.release(call.callId, node).catch(() => {});
    });
    void session
      .run(flow)
      .catch((err: unknown) => this.o.log.warn({ callId: call.callId, err: String(err) }, 'session failed'))
      .finally(() => {
        releaseDrain();
        this.registry.remove(session);
        this.stats.callsEnded++;
        this.nodes?.callEnded(node);
      });
    return session;
  }

  /** The facts a leg's first event records; a dialer leg keeps the dialer's key and author. */
  private legInfo(node: string, call: NewCall['call'], startedAt: number, flow: F | undefined, dialer: DialerLeg | undefined): LegInfo {
    return {
      legId: call.callId,
      direction: dialer ? 'outbound' : call.direction,
      startedAt: new Date(startedAt),
      caller: call.from,
      callee: call.to,
      did: call.to,
      node,
      engineId: this.o.engineId,
      ...(flow ? { flowId: flow.id, flowVersion: flow.version } : {}),
      ...(dialer ? { lifecycleByDialer: true } : {}),
    };
  }

  private route(dialled: string): DidRoute | undefined {
    const r = this.o.routes.resolve(dialled);
    if (r) return r;
    return this.o.defaultFlowId ? { did: 'default', flowId: this.o.defaultFlowId, flavour: 'inbound' } : undefined;
  }

  /** The DID wants the outbound flavour: hand the parked channel to our socket server. */
  private async handToSocket(node: string, uuid: string, control: NewCall['control']): Promise<undefined> {
    const s = this.o.outboundSocket as { host: string; port: number };
    await this.o.ownership.release(uuid, node).catch(() => {});
    await control.sendExecute('socket', `${s.host}:${s.port} async full`, `${uuid}-socket`, false).catch((err: unknown) => {
      this.o.log.warn({ uuid, err: String(err) }, 'socket hand-off failed');
    });
    return undefined;
  }
}

function callFromEvent(ev: EslEvent): NewCall['call'] {
  return {
    callId: ev.uniqueId ?? '',
    direction: ev.get('Call-Direction') === 'outbound' ? 'outbound' : 'inbound',
    from: ev.get('Caller-Caller-ID-Number') ?? ev.get('variable_sip_from_user') ?? '',
    to: ev.get('Caller-Destination-Number') ?? ev.get('variable_sip_to_user') ?? '',
  };
}

function callFromSnapshot(s: CallSnapshot): NewCall['call'] {
  const vars = { ...(s.dialer ? dialerLegVars(s.dialer) : {}), resumed: '1', resumed_from: s.state };
  return { callId: s.callId, direction: s.direction, from: s.from, to: s.to, vars };
}

/** A campaign call: from = the campaign's caller id, to = the contact (`{{dialled}}`). */
function callFromDialerLeg(uuid: string, d: DialerLeg): NewCall['call'] {
  return { callId: uuid, direction: 'outbound', from: d.callerId, to: d.phone, vars: dialerLegVars(d) };
}
