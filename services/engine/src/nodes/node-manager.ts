import type { EslEvent } from '../esl/esl-event.ts';
import { type HeartbeatFigures, heartbeatFigures, type NodeHealth } from './node-health.ts';
import type { NodeLink, NodeLinkFactory, NodeLinkHandlers, NodeSpec } from './node-link.ts';
import type { NodeSource } from './node-source.ts';

/** The part of an ioredis subscriber the manager uses for fleet-change notices. */
export interface FleetSubscriber {
  subscribe(channel: string): Promise<unknown>;
  on(event: 'message', fn: (channel: string, message: string) => void): unknown;
}

/** Options of {@link NodeManager}. */
export interface NodeManagerOptions {
  source: NodeSource;
  factory: NodeLinkFactory;
  /** Where link events go (the engine's call router). */
  handlers: NodeLinkHandlers;
  /** Live calls this engine drives on a node. */
  callsOn(node: string): number;
  pollMs: number;
  subscriber?: FleetSubscriber;
  /** `redisKeys().fleetChanged()`. */
  channel?: string;
  onError?(err: unknown): void;
}

interface Entry {
  spec: NodeSpec;
  link: NodeLink;
  heartbeat: HeartbeatFigures;
  leaving: boolean;
}

/**
 * Keeps one ESL link per fleet node, following the `nodes` table at runtime: new nodes
 * are connected, removed ones are let go once this engine's calls on them ended — no
 * restart. Implements the fleet's `EslHealthSource` and `CallCounter` ports.
 *
 * @example
 * const nodes = new NodeManager({ source: dbNodeSource(db), factory, handlers, callsOn, pollMs: 10_000 });
 * await nodes.start();
 * nodes.isEslUp('fs1');
 */
export class NodeManager {
  private readonly nodes = new Map<string, Entry>();
  private timer: NodeJS.Timeout | null = null;
  private syncing: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private readonly linkHandlers: NodeLinkHandlers;

  constructor(private readonly o: NodeManagerOptions) {
    this.linkHandlers = {
      onEvent: (node, ev) => this.onEvent(node, ev),
      onUp: (node, re) => o.handlers.onUp(node, re),
      onDown: (node, err) => o.handlers.onDown(node, err),
    };
  }

  async start(): Promise<void> {
    if (this.o.subscriber && this.o.channel) {
      const ch = this.o.channel;
      this.o.subscriber.on('message', (c) => {
        if (c === ch) void this.sync();
      });
      await this.o.subscriber.subscribe(ch);
    }
    await this.sync();
    this.timer = setInterval(() => void this.sync(), this.o.pollMs);
    this.timer.unref();
  }

  /** Re-reads the node list now (coalesced). */
  sync(): Promise<void> {
    if (this.syncing) {
      this.again = true;
      return this.syncing;
    }
    this.syncing = this.apply()
      .catch((err) => this.o.onError?.(err))
      .finally(() => {
        this.syncing = null;
        if (this.again && !this.closed) {
          this.again = false;
          void this.sync();
        }
      });
    return this.syncing;
  }

  get(node: string): NodeLink | undefined {
    return this.nodes.get(node)?.link;
  }

  /** Links of the nodes in service (not leaving): the prompt check asks each one. */
  links(): NodeLink[] {
    const out: NodeLink[] = [];
    for (const e of this.nodes.values()) if (!e.leaving) out.push(e.link);
    return out;
  }

  /** Names of nodes with a link (leaving ones included). */
  names(): string[] {
    return [...this.nodes.keys()];
  }

  /** Whether new calls on `node` are welcome (not leaving). */
  accepting(node: string): boolean {
    const e = this.nodes.get(node);
    return !!e && !e.leaving;
  }

  /** EslHealthSource: the node's ESL link is up. */
  isEslUp(nodeName: string): boolean {
    return this.nodes.get(nodeName)?.link.up ?? false;
  }

  /** CallCounter: calls this engine drives on the node. */
  inFlightCalls(nodeName: string): number {
    return this.o.callsOn(nodeName);
  }

  health(now = Date.now()): NodeHealth[] {
    const out: NodeHealth[] = [];
    for (const [node, e] of this.nodes) {
      const l = e.link;
      out.push({
        node,
        eslConnected: l.up,
        lastEventAgeMs: l.lastEventAt ? now - l.lastEventAt : null,
        sessionCount: e.heartbeat.sessionCount,
        idleCpu: e.heartbeat.idleCpu,
        commandsInFlight: l.inFlight,
        calls: this.o.callsOn(node),
        reconnects: l.reconnects,
        ready: l.up,
        leaving: e.leaving,
      });
    }
    return out;
  }

  /** A call on `node` ended: a leaving node with no calls left is closed. */
  callEnded(node: string): void {
    const e = this.nodes.get(node);
    if (e?.leaving && this.o.callsOn(node) === 0) this.drop(node, e);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.syncing;
    const all = [...this.nodes.values()];
    this.nodes.clear();
    await Promise.all(all.map((e) => e.link.close()));
  }

  private async apply(): Promise<void> {
    const specs = await this.o.source.list();
    if (this.closed) return;
    const wanted = new Map(specs.map((s) => [s.name, s]));
    for (const [name, spec] of wanted) {
      const e = this.nodes.get(name);
      if (!e) {
        const link = this.o.factory(spec, this.linkHandlers);
        this.nodes.set(name, { spec, link, heartbeat: { sessionCount: null, idleCpu: null }, leaving: false });
        link.start();
      } else if (e.spec.eslHost !== spec.eslHost || e.spec.eslPort !== spec.eslPort) {
        // Address changed: a new link; the old one goes once its calls end.
        this.o.onError?.(new Error(`node ${name} changed ESL address; reconnect after its calls end`));
        e.leaving = true;
      } else {
        e.spec = spec;
        e.leaving = false;
      }
    }
    for (const [name, e] of this.nodes) {
      if (wanted.has(name)) continue;
      e.leaving = true;
      if (this.o.callsOn(name) === 0) this.drop(name, e);
    }
  }

  private drop(name: string, e: Entry): void {
    if (this.nodes.get(name) !== e) return;
    this.nodes.delete(name);
    void e.link.close();
  }

  private onEvent(node: string, ev: EslEvent): void {
    if (ev.name === 'HEARTBEAT') {
      const e = this.nodes.get(node);
      if (e) e.heartbeat = heartbeatFigures((h) => ev.get(h));
      return;
    }
    this.o.handlers.onEvent(node, ev);
  }
}
