/**
 * Inbound ESL client: connects to FreeSWITCH's event socket, authenticates, subscribes, and
 * reconnects with capped, jittered exponential backoff. On a disconnect every in-flight command,
 * bgapi job and execute FAILS (EslDisconnectedError) and nothing is resent; after reconnecting the
 * client re-subscribes, re-applies filters and runs the `onReconnect` resync hook.
 */

import { EventEmitter } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HeaderList } from '../codec/command-encoder.ts';
import type { EslFrame } from '../codec/frame.ts';
import type { BgapiOptions, BgapiResult, DisconnectNotice, EslConnectionOptions, ExecuteCallOptions } from '../connection/esl-connection.ts';
import { EslConnection, pendingExecutesLimit } from '../connection/esl-connection.ts';
import { EslError } from '../connection/errors.ts';
import { SlabReader } from '../connection/slab-reader.ts';
import type { CommandOptions } from '../connection/reply-queue.ts';
import type { EslEvent, EslEventFormat } from '../event/esl-event.ts';
import { backoffDelay } from '@switchyard/core';

/** Options of `EslInboundClient`. */
export interface InboundClientOptions extends EslConnectionOptions {
  host: string;
  port: number;
  password: string;
  /** Initial subscription, re-sent after every reconnect. */
  events?: { format: EslEventFormat; names: readonly string[] };
  /** Initial filters `[header, value]`, re-applied after every reconnect. */
  filters?: ReadonlyArray<readonly [string, string]>;
  /** TCP connect + auth deadline per attempt (ms, default 5 000). */
  connectTimeoutMs?: number;
  /** Reconnect backoff (default base 100 ms, cap 10 s, full jitter). */
  backoff?: { baseMs: number; maxMs: number };
  /** Resync hook run after each RE-connect (e.g. `show channels as json`); errors become warnings. */
  onReconnect?: (client: EslInboundClient) => void | Promise<void>;
}

/** Events of the inbound client. */
export interface InboundClientEvents {
  event: [EslEvent];
  /** Authenticated and subscribed; `reconnect` is false the first time. */
  connected: [{ reconnect: boolean }];
  /** Socket lost; in-flight work has been rejected. */
  disconnected: [Error | undefined];
  'disconnect-notice': [DisconnectNotice];
  log: [EslFrame];
  warning: [Error];
}

/** Added to every subscription: bgapi resolves on BACKGROUND_JOB, execute on EXECUTE_COMPLETE / hangup. */
const REQUIRED_EVENTS = ['BACKGROUND_JOB', 'CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HANGUP_COMPLETE'] as const;

/** One row of `show channels as json`. */
export type ChannelRow = Record<string, string>;

/**
 * @example
 * const fs = new EslInboundClient({ host: '127.0.0.1', port: 8021, password: 'ClueCon',
 *   events: { format: 'plain', names: ['CHANNEL_PARK', 'CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HANGUP_COMPLETE', 'BACKGROUND_JOB'] } });
 * fs.on('event', (e) => console.log(e.name, e.uniqueId));
 * await fs.connect();
 * const status = await fs.api('status');
 * const job = await fs.bgapi('originate sofia/internal/1000@127.0.0.1 &park()');
 */
export class EslInboundClient extends EventEmitter<InboundClientEvents> {
  private conn: EslConnection | undefined;
  private closing = false;
  private attempt = 0;
  private everConnected = false;
  private format: EslEventFormat;
  private readonly subscribed = new Set<string>();
  private readonly filters = new Map<string, readonly [string, string]>();
  private running: Promise<void> | undefined;
  private readonly wake = new AbortController();

  constructor(private readonly opts: InboundClientOptions) {
    super();
    pendingExecutesLimit(opts); // a bad bound is a config error now, not a warning per reconnect
    this.format = opts.events?.format ?? 'plain';
    for (const n of opts.events?.names ?? []) this.subscribed.add(n);
    for (const [h, v] of opts.filters ?? []) this.filters.set(`${h}\n${v}`, [h, v]);
  }

  /** True while authenticated. */
  get connected(): boolean {
    return !!this.conn?.open;
  }

  /** Commands sent on the current connection and awaiting a reply (0 while disconnected). */
  get inFlight(): number {
    return this.conn?.inFlight ?? 0;
  }

  /** Executes awaiting completion on the current connection (0 while disconnected). */
  get pendingExecutes(): number {
    return this.conn?.pendingExecutes ?? 0;
  }

  /**
   * Connect and keep connected. Resolves after the first successful auth + subscribe; retries
   * with backoff meanwhile. Rejects on a wrong password (no retry), on `signal`, or on `close()`.
   */
  connect(signal?: AbortSignal): Promise<void> {
    if (this.running) return Promise.reject(new EslError('busy', 'connect() already called'));
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        reject(new EslError('aborted', 'connect aborted'));
        void this.close();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.running = this.loop(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      );
    });
  }

  /** Close for good: sends `exit` if connected (waits up to `exitTimeoutMs` for FS to close), stops reconnecting, rejects pending work. */
  async close(exitTimeoutMs = 2000): Promise<void> {
    this.closing = true;
    this.wake.abort();
    const c = this.conn;
    if (c?.open) await c.exit(exitTimeoutMs);
    await this.running?.catch(() => {});
  }

  // ---- commands (reject with EslError('not-connected') while disconnected; never queued) ----

  /** Raw command → reply frame. */
  async send(line: string, headers?: HeaderList, body?: string | Buffer, opts?: CommandOptions): Promise<EslFrame> {
    return this.live().send(line, headers, body, opts);
  }
  /** One pre-encoded command frame (e.g. `encodeExecute(...)`) → its reply frame; see `EslConnection.sendEncoded`. */
  sendEncoded(bytes: Buffer, opts?: CommandOptions): Promise<EslFrame> {
    try {
      return this.live().sendEncoded(bytes, opts);
    } catch (err) {
      return Promise.reject(err);
    }
  }
  /** `sendEncoded` → `+OK` reply text (rejects EslCommandError on `-ERR`); a sendmsg resolves on acceptance, not completion. */
  commandEncoded(bytes: Buffer, opts?: CommandOptions): Promise<string> {
    // Not async (the engine's hot path): the connection's promise is handed out as it is.
    try {
      return this.live().commandEncoded(bytes, opts);
    } catch (err) {
      return Promise.reject(err);
    }
  }
  /** Command with `+OK`/`-ERR` reply text (rejects EslCommandError on `-ERR`). */
  async command(line: string, headers?: HeaderList, body?: string | Buffer, opts?: CommandOptions): Promise<string> {
    return this.live().command(line, headers, body, opts);
  }
  /** `api <cmd>` → response body. Only for fast commands (it blocks this socket's events). */
  async api(cmd: string, opts?: CommandOptions): Promise<string> {
    return this.live().api(cmd, opts);
  }
  /** `bgapi <cmd>` with our Job-UUID → its BACKGROUND_JOB (subscribed automatically; keep it past any filter). */
  async bgapi(cmd: string, opts?: BgapiOptions): Promise<BgapiResult> {
    return this.live().bgapi(cmd, opts);
  }
  /**
   * `sendmsg <uuid>` execute → its CHANNEL_EXECUTE_COMPLETE (rejects EslChannelHangupError on the
   * channel's HANGUP_COMPLETE). Requires an event subscription (the needed events are added to it).
   */
  async execute(uuid: string, app: string, arg?: string, opts?: ExecuteCallOptions): Promise<EslEvent> {
    return this.live().execute(uuid, app, arg, opts);
  }
  /** `sendmsg <uuid>` hangup. */
  async hangup(uuid: string, cause?: string, opts?: CommandOptions): Promise<string> {
    return this.live().hangup(uuid, cause, opts);
  }

  /** Add events to the subscription (remembered for reconnects). `format` switches the whole socket. */
  async subscribe(names: readonly string[], format: EslEventFormat = this.format, opts?: CommandOptions): Promise<void> {
    this.format = format;
    for (const n of names) this.subscribed.add(n);
    if (this.conn?.open) await this.conn.subscribe(format, this.subscriptionList(), opts);
  }

  /** Add a filter (remembered for reconnects). */
  async filter(header: string, value: string, opts?: CommandOptions): Promise<void> {
    this.filters.set(`${header}\n${value}`, [header, value]);
    if (this.conn?.open) await this.conn.filter(header, value, opts);
  }

  /** Remove a filter (`filter delete`). */
  async filterDelete(header: string, value: string, opts?: CommandOptions): Promise<void> {
    this.filters.delete(`${header}\n${value}`);
    if (this.conn?.open) await this.conn.command(`filter delete ${header} ${value}`, undefined, undefined, opts);
  }

  /** `show channels as json` rows — the resync primitive after a reconnect. */
  async showChannels(opts?: CommandOptions): Promise<ChannelRow[]> {
    const text = await this.api('show channels as json', opts);
    try {
      const v = JSON.parse(text) as { rows?: ChannelRow[] };
      return Array.isArray(v.rows) ? v.rows : [];
    } catch {
      throw new EslError('command', `show channels: not JSON: ${text.slice(0, 80)}`);
    }
  }

  private live(): EslConnection {
    const c = this.conn;
    if (!c?.open) throw new EslError('not-connected', 'ESL not connected');
    return c;
  }

  private subscriptionList(): string[] {
    // bgapi and execute complete only through these events, so every subscription carries them.
    const names = new Set(this.subscribed);
    if (!names.has('ALL')) for (const n of REQUIRED_EVENTS) names.add(n);
    return [...names];
  }

  private async loop(onFirst: () => void, onFatal: (e: Error) => void): Promise<void> {
    let first = true;
    while (!this.closing) {
      let conn: EslConnection;
      try {
        conn = await this.establish();
      } catch (err) {
        if (err instanceof EslError && err.code === 'auth') {
          this.closing = true;
          if (first) onFatal(err);
          else this.emit('warning', err);
          return;
        }
        this.emit('warning', err as Error);
        await this.pause();
        continue;
      }
      // close() ran during the handshake: it saw no connection to end, so end this one here
      // (otherwise the loop would wait on it forever and close() would never resolve).
      if (this.closing) {
        conn.destroy();
        break;
      }
      this.attempt = 0;
      const reconnect = this.everConnected;
      this.everConnected = true;
      const closed = new Promise<Error | undefined>((r) => conn.once('close', r));
      this.conn = conn;
      this.emit('connected', { reconnect });
      if (first) {
        first = false;
        onFirst();
      }
      if (reconnect && this.opts.onReconnect) {
        Promise.resolve()
          .then(() => this.opts.onReconnect!(this))
          .catch((e: unknown) => this.emit('warning', e as Error));
      }
      const why = await closed;
      this.conn = undefined;
      this.emit('disconnected', why);
      if (!this.closing) await this.pause();
    }
    if (first) onFatal(new EslError('closed', 'client closed before connecting'));
  }

  private async pause(): Promise<void> {
    const b = this.opts.backoff ?? { baseMs: 100, maxMs: 10_000 };
    const ms = backoffDelay(this.attempt++, b);
    await sleep(ms, undefined, { signal: this.wake.signal }).catch(() => {});
  }

  /** TCP connect, auth, subscribe, filters — all within connectTimeoutMs. */
  private async establish(): Promise<EslConnection> {
    const timeoutMs = this.opts.connectTimeoutMs ?? 5000;
    const reader = new SlabReader();
    const socket = await openSocket(this.opts.host, this.opts.port, timeoutMs, this.wake.signal, reader);
    const conn = new EslConnection(socket, { ...this.opts, externalReads: true });
    reader.deliverTo((chunk) => conn.receive(chunk));
    const timer = setTimeout(() => conn.destroy(new EslError('timeout', 'ESL handshake timed out')), timeoutMs);
    try {
      await new Promise<void>((resolve, reject) => {
        conn.once('auth-request', resolve);
        // An ACL rejection is configuration, like a wrong password: fatal, not retried.
        conn.once('rude-rejection', (text) => reject(new EslError('auth', `ESL connection rejected: ${text.trim()}`)));
        conn.once('close', () => reject(new EslError('disconnected', 'closed before auth/request')));
      });
      const auth = await conn.send(`auth ${this.opts.password}`);
      if (!(auth.replyText ?? '').startsWith('+OK')) {
        conn.destroy();
        throw new EslError('auth', `ESL auth failed: ${auth.replyText ?? ''}`);
      }
      this.forward(conn);
      if (this.subscribed.size > 0) await conn.subscribe(this.format, this.subscriptionList());
      for (const [h, v] of this.filters.values()) await conn.filter(h, v);
      return conn;
    } catch (err) {
      conn.destroy();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  private forward(conn: EslConnection): void {
    conn.on('event', (e) => this.emit('event', e));
    conn.on('disconnect-notice', (n) => this.emit('disconnect-notice', n));
    conn.on('log', (f) => this.emit('log', f));
    conn.on('warning', (e) => this.emit('warning', e));
  }
}

function openSocket(host: string, port: number, timeoutMs: number, signal: AbortSignal, reader: SlabReader): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const s = netConnect({ host, port, noDelay: true, keepAlive: true, keepAliveInitialDelay: 10_000, onread: reader.onread });
    const fail = (e: Error) => {
      clearTimeout(t);
      signal.removeEventListener('abort', onAbort);
      s.destroy();
      reject(e);
    };
    const onAbort = () => fail(new EslError('aborted', 'connect aborted'));
    const t = setTimeout(() => fail(new EslError('timeout', `ESL connect to ${host}:${port} timed out`)), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    s.once('error', fail);
    s.once('connect', () => {
      clearTimeout(t);
      signal.removeEventListener('abort', onAbort);
      s.removeListener('error', fail);
      resolve(s);
    });
  });
}
