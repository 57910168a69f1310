import type { Logger } from '@switchyard/core';
import { EslCommandError, EslError, type EslEvent, EslInboundClient } from '@switchyard/esl';
import { NotSentError, type SwitchEvent, type SwitchPort } from '../runner/switch-port.ts';

/** Where one FreeSWITCH node's event socket listens. */
export interface EslNodeAddress {
  name: string;
  host: string;
  port: number;
}

export interface EslSwitchOptions {
  password: string;
  logger: Logger;
  /** BACKGROUND_JOB deadline; past it the runner's sweep asks the node (default originate timeout + 10 s). */
  jobTimeoutMs?: number;
  /** Told when a node's control connection comes up (`reconnect`: not the first time) or goes down (metrics). */
  onLink?: (node: string, up: boolean, reconnect: boolean) => void;
  /** For tests: a factory instead of `new EslInboundClient`. */
  clientFactory?: (a: EslNodeAddress, events: readonly string[]) => EslInboundClient;
}

const EVENTS = ['BACKGROUND_JOB', 'CHANNEL_ANSWER', 'CHANNEL_HANGUP_COMPLETE'] as const;

/**
 * The dialer's SwitchPort over one inbound ESL connection per node (the ESL client
 * reconnects with jittered capped backoff). Nodes come and go with {@link sync}; only
 * connected nodes are reported {@link ready}.
 *
 * @example
 * const sw = new EslSwitch({ password: 'ClueCon', logger }); sw.sync([{ name: 'fs1', host: '127.0.0.1', port: 8021 }]);
 */
export class EslSwitch implements SwitchPort {
  private readonly clients = new Map<string, { addr: EslNodeAddress; client: EslInboundClient }>();
  private readonly listeners = new Set<(e: SwitchEvent) => void>();

  constructor(private readonly o: EslSwitchOptions) {}

  /** Connects to new nodes and closes connections to nodes no longer listed. */
  sync(nodes: readonly EslNodeAddress[]): void {
    const want = new Map(nodes.map((n) => [n.name, n]));
    for (const [name, c] of this.clients) {
      const w = want.get(name);
      if (!w || w.host !== c.addr.host || w.port !== c.addr.port) {
        this.clients.delete(name);
        void c.client.close().catch(() => {});
      }
    }
    for (const n of nodes) if (!this.clients.has(n.name)) this.open(n);
  }

  /** Names of nodes whose control connection is up. */
  ready(): string[] {
    return [...this.clients].filter(([, c]) => c.client.connected).map(([name]) => name);
  }

  async bgapi(node: string, jobUuid: string, command: string): Promise<void> {
    const c = this.clients.get(node)?.client;
    if (!c?.connected) throw new NotSentError(`node ${node} not connected`);
    try {
      const r = await c.bgapi(command, { jobUuid, jobTimeoutMs: this.o.jobTimeoutMs ?? 40_000 });
      this.emit({ type: 'job', node, jobUuid, body: r.body });
    } catch (err) {
      if (err instanceof EslError && err.code === 'not-connected') throw new NotSentError(err.message);
      // bgapi rejects on `-ERR` in the command reply itself (e.g. bad syntax): that is a result.
      if (err instanceof EslCommandError) {
        this.emit({ type: 'job', node, jobUuid, body: err.replyText.startsWith('-ERR') ? err.replyText : `-ERR ${err.replyText}` });
        return;
      }
      throw err;
    }
  }

  async channelExists(node: string, uuid: string): Promise<boolean> {
    const c = this.clients.get(node)?.client;
    if (!c?.connected) throw new NotSentError(`node ${node} not connected`);
    return (await c.api(`uuid_exists ${uuid}`)).trim() === 'true';
  }

  async hangup(node: string, uuid: string, cause: string): Promise<void> {
    const c = this.clients.get(node)?.client;
    if (!c?.connected) throw new NotSentError(`node ${node} not connected`);
    await c.api(`uuid_kill ${uuid} ${cause}`);
  }

  onEvent(listener: (e: SwitchEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map((c) => c.client.close().catch(() => {})));
  }

  private open(addr: EslNodeAddress): void {
    const client =
      this.o.clientFactory?.(addr, EVENTS) ??
      new EslInboundClient({ host: addr.host, port: addr.port, password: this.o.password, events: { format: 'plain', names: EVENTS } });
    client.on('event', (e) => this.onEslEvent(addr.name, e));
    client.on('warning', (err) => this.o.logger.warn({ err, node: addr.name }, 'esl warning'));
    client.on('connected', ({ reconnect }) => this.o.onLink?.(addr.name, true, reconnect));
    client.on('disconnected', (err) => {
      this.o.logger.warn({ err, node: addr.name }, 'esl disconnected');
      this.o.onLink?.(addr.name, false, false);
    });
    this.clients.set(addr.name, { addr, client });
    client.connect().catch((err) => this.o.logger.error({ err, node: addr.name }, 'esl connect failed for good'));
  }

  // O(1) per event: two header reads, then the tracker's map lookups.
  private onEslEvent(node: string, e: EslEvent): void {
    const name = e.name;
    if (name === 'CHANNEL_ANSWER') {
      const uuid = e.uniqueId;
      if (uuid) this.emit({ type: 'answer', node, callUuid: uuid, machine: (e.get('variable_amd_result') ?? '').toUpperCase() === 'MACHINE' });
    } else if (name === 'CHANNEL_HANGUP_COMPLETE') {
      const uuid = e.uniqueId;
      // Caller-Channel-Answered-Time: epoch microseconds, 0 when never answered.
      const answeredUs = Number(e.get('Caller-Channel-Answered-Time') ?? 0);
      const answeredAt = answeredUs > 0 ? Math.floor(answeredUs / 1000) : null;
      if (uuid) this.emit({ type: 'hangup', node, callUuid: uuid, cause: e.get('Hangup-Cause') ?? 'UNKNOWN', answeredAt });
    }
    // BACKGROUND_JOB arrives through the bgapi promise above.
  }

  private emit(e: SwitchEvent): void {
    for (const l of this.listeners) l(e);
  }
}
