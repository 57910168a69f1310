/**
 * One ESL socket, either direction of dial (inbound client or an outbound-server connection):
 * framing, pipelined replies, bgapi jobs, execute tracking and event dispatch. The only file
 * that touches the socket; the rest of the package is pure.
 */

import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { encodeCommand, encodeExecute, encodeHangup, type HeaderList } from '../codec/command-encoder.ts';
import type { EslFrame } from '../codec/frame.ts';
import { H } from '../codec/frame.ts';
import { EslFrameParser, EslProtocolError, type FrameParserOptions } from '../codec/frame-parser.ts';
import { EslEvent, type EslEventFormat } from '../event/esl-event.ts';
import { EslCommandError, EslDisconnectedError, EslError } from './errors.ts';
import { ExecuteTracker } from './execute-tracker.ts';
import { type CommandOptions, ReplyQueue } from './reply-queue.ts';
import { WaiterMap } from './waiter-map.ts';

/** Tunables shared by the inbound client and outbound connections. */
export interface EslConnectionOptions extends FrameParserOptions {
  /** Default reply timeout per command (ms, default 10 000). */
  commandTimeoutMs?: number;
  /** Default timeout for a bgapi job's BACKGROUND_JOB (ms, default 300 000). */
  jobTimeoutMs?: number;
  /** Default timeout for an execute's completion (ms, default 0 = none; hangup still resolves it). */
  executeTimeoutMs?: number;
  /** Commands written and awaiting a reply (default 1 000). */
  maxInFlight?: number;
  /** Pending bgapi jobs and executes, each (default 10 000 jobs; executes see `maxPendingExecutes`). */
  maxPending?: number;
  /**
   * Pending executes (sendmsg awaiting CHANNEL_EXECUTE_COMPLETE). Default `maxPending` if set,
   * else 100 000 — two per channel at 50 000 channels. Capped at 1 000 000.
   */
  maxPendingExecutes?: number;
  /**
   * The socket's bytes come through {@link EslConnection.receive} (e.g. from net's `onread`,
   * see SlabReader) rather than its 'data' events. Default false.
   */
  externalReads?: boolean;
}

/** Default bound on pending executes: two apps in flight for each of 50 000 channels. */
export const DEFAULT_MAX_PENDING_EXECUTES = 100_000;
/** Hard cap on `maxPendingExecutes`: the tracker's maps stay bounded whatever the config says. */
export const MAX_PENDING_EXECUTES_CAP = 1_000_000;

/** The execute bound `opts` asks for; throws RangeError (a config mistake) outside 1..MAX_PENDING_EXECUTES_CAP. */
export function pendingExecutesLimit(opts: EslConnectionOptions): number {
  const max = opts.maxPendingExecutes ?? opts.maxPending ?? DEFAULT_MAX_PENDING_EXECUTES;
  if (!Number.isInteger(max) || max < 1 || max > MAX_PENDING_EXECUTES_CAP) {
    throw new RangeError(`ESL maxPendingExecutes must be an integer in 1..${MAX_PENDING_EXECUTES_CAP}, got ${max}`);
  }
  return max;
}

/** A `disconnect-notice`: `linger` = the channel hung up but the socket stays open. */
export interface DisconnectNotice {
  linger: boolean;
  /** `Linger-Time` seconds (-1 = forever) for linger notices. */
  lingerTime?: number;
  text: string;
  frame: EslFrame;
}

/** Result of a bgapi job. */
export interface BgapiResult {
  jobUuid: string;
  /** BACKGROUND_JOB body, e.g. `+OK <uuid>\n` or `-ERR USER_BUSY\n`. */
  body: string;
  event: EslEvent;
}

/** Options for `bgapi`. */
export interface BgapiOptions extends CommandOptions {
  /** Our Job-UUID (default random). Pre-generate it to log before sending. */
  jobUuid?: string;
  /** Timeout for the BACKGROUND_JOB (ms). */
  jobTimeoutMs?: number;
}

/** Options for `execute`. */
export interface ExecuteCallOptions extends CommandOptions {
  /** Our Event-UUID (default random); comes back as Application-UUID. */
  eventUuid?: string;
  /** Default true: run after previously queued apps instead of nested. */
  eventLock?: boolean;
  loops?: number;
  /** Outbound sync sockets: queue instead of running inline. */
  async?: boolean;
  /** Completion timeout (ms); default the connection's executeTimeoutMs. */
  completeTimeoutMs?: number;
}

/** Events emitted by a connection. */
export interface EslConnectionEvents {
  event: [EslEvent];
  'auth-request': [];
  'disconnect-notice': [DisconnectNotice];
  'rude-rejection': [string];
  log: [EslFrame];
  /** A listener threw or an unexpected frame arrived; never fatal. */
  warning: [Error];
  /** Socket closed; every in-flight command/job/execute has been rejected. */
  close: [Error | undefined];
}

/** A reply's `Reply-Text` if it is not an error; throws EslCommandError on `-ERR…`. */
function okReplyText(f: EslFrame): string {
  const text = f.replyText ?? '';
  if (text.startsWith('-')) throw new EslCommandError(text);
  return text;
}

/**
 * A live ESL socket. Promise APIs; nothing is ever resent. Construct via `EslInboundClient` or
 * `createOutboundServer`, or directly over any connected socket.
 */
export class EslConnection extends EventEmitter<EslConnectionEvents> {
  private readonly parser: EslFrameParser;
  private readonly replies: ReplyQueue;
  private readonly jobs: WaiterMap<BgapiResult>;
  private readonly executes: ExecuteTracker;
  private readonly commandTimeoutMs: number;
  private readonly jobTimeoutMs: number;
  private readonly executeTimeoutMs: number;
  private closedWith: Error | undefined | null = null; // null = open
  private corked = false;
  // Commands written in one tick leave in one writev: cork on the first, uncork in a microtask
  // (same tick, so a lone command pays no extra latency).
  private readonly uncork = () => {
    this.corked = false;
    this.socket.uncork();
  };

  constructor(
    readonly socket: Socket,
    opts: EslConnectionOptions = {},
  ) {
    super();
    this.parser = new EslFrameParser(opts);
    this.replies = new ReplyQueue(opts.maxInFlight ?? 1000);
    this.jobs = new WaiterMap(opts.maxPending ?? 10_000, 'bgapi job');
    this.executes = new ExecuteTracker(pendingExecutesLimit(opts));
    this.commandTimeoutMs = opts.commandTimeoutMs ?? 10_000;
    this.jobTimeoutMs = opts.jobTimeoutMs ?? 300_000;
    this.executeTimeoutMs = opts.executeTimeoutMs ?? 0;
    socket.setNoDelay(true);
    if (!opts.externalReads) socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => {}); // 'close' follows; the error reaches callers as EslDisconnectedError
    socket.on('close', () => this.onClose());
  }

  /** True until the socket closed. */
  get open(): boolean {
    return this.closedWith === null;
  }

  /** Commands written (or about to be, this tick) and awaiting a reply. */
  get inFlight(): number {
    return this.replies.size;
  }

  /** Executes awaiting their CHANNEL_EXECUTE_COMPLETE (or hangup). */
  get pendingExecutes(): number {
    return this.executes.size;
  }

  /** bgapi jobs awaiting their BACKGROUND_JOB. */
  get pendingJobs(): number {
    return this.jobs.size;
  }

  /** Write one command frame and resolve with its reply frame (command/reply or api/response). */
  send(line: string, headers?: HeaderList, body?: string | Buffer, opts: CommandOptions = {}): Promise<EslFrame> {
    if (this.closedWith !== null) return Promise.reject(new EslError('not-connected', 'ESL connection is closed'));
    const bytes = encodeCommand(line, headers, body); // throws before anything is queued
    return this.sendEncoded(bytes, opts);
  }

  /**
   * Send one pre-encoded command frame (e.g. from `encodeExecute`/`encodeHangup`) and resolve
   * with its reply frame — the `+OK`/`-ERR` of a sendmsg, not the app's completion. Same
   * rules as every command: FIFO reply matching, writes batched per tick, counted in
   * `inFlight`, rejected (never resent) on disconnect. `bytes` must be exactly one frame.
   */
  sendEncoded(bytes: Buffer, opts: CommandOptions = {}): Promise<EslFrame> {
    if (this.closedWith !== null) return Promise.reject(new EslError('not-connected', 'ESL connection is closed'));
    let p: Promise<EslFrame>;
    try {
      p = this.replies.enqueue(opts.timeoutMs ?? this.commandTimeoutMs, opts.signal);
    } catch (err) {
      return Promise.reject(err);
    }
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      queueMicrotask(this.uncork);
    }
    this.socket.write(bytes);
    return p;
  }

  /** A command whose `Reply-Text` must be `+OK…`; resolves with the reply text, rejects EslCommandError on `-ERR`. */
  async command(line: string, headers?: HeaderList, body?: string | Buffer, opts?: CommandOptions): Promise<string> {
    return okReplyText(await this.send(line, headers, body, opts));
  }

  /** @deprecated Use `sendEncoded` (same behaviour). */
  sendRaw(bytes: Buffer, opts?: CommandOptions): Promise<EslFrame> {
    return this.sendEncoded(bytes, opts);
  }

  /** `sendEncoded` whose `Reply-Text` must be `+OK…`: resolves with it, rejects EslCommandError on `-ERR`. */
  commandEncoded(bytes: Buffer, opts?: CommandOptions): Promise<string> {
    // Not async: one promise per command on the engine's hot path, not three.
    return this.sendEncoded(bytes, opts).then(okReplyText);
  }

  /**
   * `api <cmd>`: resolves with the api/response body as-is (it may start with `-ERR`). Blocks
   * FreeSWITCH's event delivery on this socket while it runs — use `bgapi` for slow commands.
   */
  async api(cmd: string, opts?: CommandOptions): Promise<string> {
    const f = await this.send(`api ${cmd}`, undefined, undefined, opts);
    return f.bodyText();
  }

  /**
   * `bgapi <cmd>` with our own Job-UUID; resolves when its BACKGROUND_JOB arrives (the socket
   * must receive BACKGROUND_JOB events). Rejects on `-ERR`, timeout, abort or disconnect.
   */
  async bgapi(cmd: string, opts: BgapiOptions = {}): Promise<BgapiResult> {
    const jobUuid = opts.jobUuid ?? randomUUID();
    const done = this.jobs.add(jobUuid, opts.jobTimeoutMs ?? this.jobTimeoutMs, opts.signal);
    done.catch(() => {}); // observed below; avoid an unhandled rejection if the reply fails first
    try {
      await this.command(`bgapi ${cmd}`, [['Job-UUID', jobUuid]], undefined, opts);
    } catch (err) {
      this.jobs.reject(jobUuid, err as Error);
      throw err;
    }
    return done;
  }

  /**
   * `sendmsg [uuid]` execute; resolves with the app's CHANNEL_EXECUTE_COMPLETE. Rejects with
   * EslChannelHangupError if the channel ends first. `uuid` is required on inbound sockets.
   */
  async execute(uuid: string, app: string, arg?: string, opts: ExecuteCallOptions = {}, outboundChannel = false): Promise<EslEvent> {
    const eventUuid = opts.eventUuid ?? randomUUID();
    const done = this.executes.wait(uuid, eventUuid, opts.completeTimeoutMs ?? this.executeTimeoutMs, opts.signal);
    done.catch(() => {});
    const bytes = encodeExecute({ uuid: outboundChannel ? undefined : uuid, app, arg, eventUuid, eventLock: opts.eventLock, loops: opts.loops, async: opts.async });
    try {
      await this.commandEncoded(bytes, { timeoutMs: opts.timeoutMs, signal: opts.signal });
    } catch (err) {
      this.executes.fail(eventUuid, err as Error);
      throw err;
    }
    return done;
  }

  /** `sendmsg [uuid]` hangup with a cause. */
  async hangup(uuid: string | undefined, cause = 'NORMAL_CLEARING', opts?: CommandOptions): Promise<string> {
    return this.commandEncoded(encodeHangup(uuid, cause), opts);
  }

  /** `event <format> <names…>` (additive). */
  subscribe(format: EslEventFormat, events: readonly string[], opts?: CommandOptions): Promise<string> {
    return this.command(`event ${format} ${events.join(' ')}`, undefined, undefined, opts);
  }

  /** `filter <header> <value>` (allow-list once any filter exists). */
  filter(header: string, value: string, opts?: CommandOptions): Promise<string> {
    return this.command(`filter ${header} ${value}`, undefined, undefined, opts);
  }

  /** Send `exit` and wait for FreeSWITCH to close (bounded); then the socket is destroyed. */
  async exit(timeoutMs = 2000): Promise<void> {
    if (this.closedWith !== null) return;
    const closed = new Promise<void>((r) => this.socket.once('close', () => r()));
    this.send('exit', undefined, undefined, { timeoutMs }).catch(() => {});
    const t = setTimeout(() => this.destroy(), timeoutMs);
    await closed;
    clearTimeout(t);
  }

  /** Close now; in-flight work is rejected with EslDisconnectedError. */
  destroy(err?: Error): void {
    this.socket.destroy(err);
  }

  /** Bytes read from the socket (called for its 'data' events, or by whoever reads it when `externalReads`). */
  receive(chunk: Buffer): void {
    try {
      this.parser.push(chunk, (f) => this.onFrame(f));
    } catch (err) {
      // Bad framing: the stream can no longer be trusted. Disconnect, never crash.
      if (err instanceof EslProtocolError) this.destroy(err);
      else this.warn(err);
    }
  }

  private onFrame(f: EslFrame): void {
    const ct = f.contentType;
    if (ct === 'text/event-plain' || ct === 'text/event-json') {
      this.onEvent(EslEvent.fromFrame(f, ct)!);
    } else if (ct === 'command/reply' || ct === 'api/response') {
      if (!this.replies.deliver(f)) this.warn(new EslError('command', `unsolicited ${ct}: ${f.replyText ?? ''}`));
    } else if (ct === 'auth/request') {
      this.safeEmit('auth-request');
    } else if (ct === 'text/disconnect-notice') {
      this.onDisconnectNotice(f);
    } else if (ct === 'text/rude-rejection') {
      this.safeEmit('rude-rejection', f.bodyText());
      this.destroy(new EslError('auth', `rejected by FreeSWITCH: ${f.bodyText().trim()}`));
    } else if (ct === 'log/data') {
      this.safeEmit('log', f);
    } else {
      this.warn(new EslError('command', `unhandled ESL frame Content-Type ${ct ?? '(none)'}`));
    }
  }

  private onEvent(e: EslEvent): void {
    this.executes.onEvent(e);
    if (this.jobs.size > 0 && e.name === 'BACKGROUND_JOB') {
      const job = e.jobUuid;
      if (job && this.jobs.has(job)) this.jobs.resolve(job, { jobUuid: job, body: e.body, event: e });
    }
    this.safeEmit('event', e);
  }

  private onDisconnectNotice(f: EslFrame): void {
    const linger = f.headers.get(H.contentDisposition) === 'linger';
    const lt = f.header('Linger-Time');
    this.safeEmit('disconnect-notice', { linger, lingerTime: lt === undefined ? undefined : Number(lt), text: f.bodyText(), frame: f });
    if (!linger) this.socket.end(); // FreeSWITCH closes next; finish our side cleanly
  }

  private onClose(): void {
    if (this.closedWith !== null) return;
    const err = new EslDisconnectedError();
    this.closedWith = err;
    this.replies.failAll(err);
    this.jobs.rejectAll(err);
    this.executes.failAll(err);
    if (this.parser.bufferedBytes > 0) this.warn(new EslError('disconnected', `connection closed inside a frame (${this.parser.bufferedBytes} bytes)`));
    this.parser.reset();
    this.safeEmit('close', err);
  }

  private warn(err: unknown): void {
    this.safeEmit('warning', err instanceof Error ? err : new Error(String(err)));
  }

  /** Listener errors must never escape into the socket handler. */
  private safeEmit<K extends keyof EslConnectionEvents>(ev: K, ...args: EslConnectionEvents[K]): void {
    try {
      (this.emit as (e: string, ...a: unknown[]) => boolean)(ev, ...args);
    } catch (err) {
      if (ev !== 'warning') this.warn(err);
    }
  }
}
