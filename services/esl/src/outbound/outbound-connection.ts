/**
 * One FreeSWITCH outbound-socket session (`socket host:port async full`): the channel data from
 * the `connect` reply plus the per-session command set. Commands pipeline like inbound ones.
 */

import { EventEmitter } from 'node:events';
import type { HeaderList } from '../codec/command-encoder.ts';
import type { EslFrame } from '../codec/frame.ts';
import type { HeaderBlock } from '../codec/header-block.ts';
import type { BgapiOptions, BgapiResult, DisconnectNotice, EslConnection, ExecuteCallOptions } from '../connection/esl-connection.ts';
import type { CommandOptions } from '../connection/reply-queue.ts';
import type { EslEvent, EslEventFormat } from '../event/esl-event.ts';

/** Events of an outbound connection. */
export interface OutboundConnectionEvents {
  event: [EslEvent];
  /** The channel hung up under `linger`; the socket stays open until `exit()` or Linger-Time. */
  linger: [DisconnectNotice];
  /** FreeSWITCH is closing the socket (hangup without linger, `exit`, linger time over). */
  'disconnect-notice': [DisconnectNotice];
  close: [];
  warning: [Error];
}

/**
 * @example
 * server = await createOutboundServer({ port: 8084, onConnection: async (c) => {
 *   await c.myevents('plain'); await c.linger();
 *   await c.execute('answer'); await c.execute('playback', 'tone_stream://%(500,0,440)');
 *   await c.exit();
 * }});
 */
export class OutboundConnection extends EventEmitter<OutboundConnectionEvents> {
  /** Resolves when the socket has closed. */
  readonly closed: Promise<void>;
  private readonly data: HeaderBlock;

  constructor(
    /** The underlying connection (for anything not wrapped here). */
    readonly conn: EslConnection,
    /** The `connect` reply: channel data as URL-encoded headers. */
    readonly connectReply: EslFrame,
  ) {
    super();
    this.data = connectReply.headers;
    this.closed = new Promise<void>((r) => conn.once('close', () => r()));
    conn.on('event', (e) => this.emit('event', e));
    conn.on('warning', (e) => this.emit('warning', e));
    conn.on('disconnect-notice', (n) => this.emit(n.linger ? 'linger' : 'disconnect-notice', n));
    conn.once('close', () => this.emit('close'));
  }

  /** Channel `Unique-ID` (every command on this socket targets it). */
  get uniqueId(): string {
    return this.channel('Unique-ID') ?? '';
  }
  /** `Socket-Mode`: `async` or `static`. */
  get socketMode(): string | undefined {
    return this.channel('Socket-Mode');
  }
  /** `Control`: `full` or `single-channel`. */
  get control(): string | undefined {
    return this.channel('Control');
  }
  /** One decoded channel-data header, e.g. `Caller-Caller-ID-Number`, `variable_sip_from_user`. */
  channel(name: string): string | undefined {
    return this.data.getDecoded(name);
  }
  /** All channel data, decoded. */
  channelData(): Record<string, string> {
    return this.data.toObject(true);
  }
  /** True until the socket closed. */
  get open(): boolean {
    return this.conn.open;
  }
  /** Commands awaiting a reply on this socket. */
  get inFlight(): number {
    return this.conn.inFlight;
  }

  /** `myevents [format]`: this channel's events. */
  myevents(format: EslEventFormat = 'plain', opts?: CommandOptions): Promise<string> {
    return this.conn.command(format === 'plain' ? 'myevents' : `myevents ${format}`, undefined, undefined, opts);
  }
  /** `linger [secs]` — with no argument FreeSWITCH lingers forever and the app must `exit()`. */
  linger(seconds?: number, opts?: CommandOptions): Promise<string> {
    return this.conn.command(seconds === undefined ? 'linger' : `linger ${seconds}`, undefined, undefined, opts);
  }
  nolinger(opts?: CommandOptions): Promise<string> {
    return this.conn.command('nolinger', undefined, undefined, opts);
  }
  /** `resume`: on socket close the channel returns to the dialplan. */
  resume(opts?: CommandOptions): Promise<string> {
    return this.conn.command('resume', undefined, undefined, opts);
  }
  divertEvents(on: boolean, opts?: CommandOptions): Promise<string> {
    return this.conn.command(`divert_events ${on ? 'on' : 'off'}`, undefined, undefined, opts);
  }
  filter(header: string, value: string, opts?: CommandOptions): Promise<string> {
    return this.conn.filter(header, value, opts);
  }
  /** `getvar <name>` → Reply-Text (the value). */
  async getvar(name: string, opts?: CommandOptions): Promise<string> {
    const f = await this.conn.send(`getvar ${name}`, undefined, undefined, opts);
    return f.replyText ?? '';
  }
  /** `sendmsg` execute on this channel → its CHANNEL_EXECUTE_COMPLETE (needs `myevents`). */
  execute(app: string, arg?: string, opts?: ExecuteCallOptions): Promise<EslEvent> {
    return this.conn.execute(this.uniqueId, app, arg, opts, true);
  }
  hangup(cause?: string, opts?: CommandOptions): Promise<string> {
    return this.conn.hangup(undefined, cause, opts);
  }
  /** `api` (needs `full`). */
  api(cmd: string, opts?: CommandOptions): Promise<string> {
    return this.conn.api(cmd, opts);
  }
  /** `bgapi` (needs `full`; BACKGROUND_JOB reaches this socket with myevents via Job-Owner-UUID). */
  bgapi(cmd: string, opts?: BgapiOptions): Promise<BgapiResult> {
    return this.conn.bgapi(cmd, opts);
  }
  command(line: string, headers?: HeaderList, body?: string | Buffer, opts?: CommandOptions): Promise<string> {
    return this.conn.command(line, headers, body, opts);
  }
  /** One pre-encoded command frame (e.g. `encodeExecute({ app })`, no uuid) → its reply frame. */
  sendEncoded(bytes: Buffer, opts?: CommandOptions): Promise<EslFrame> {
    return this.conn.sendEncoded(bytes, opts);
  }
  /** `sendEncoded` → `+OK` reply text (rejects EslCommandError on `-ERR`); a sendmsg resolves on acceptance, not completion. */
  commandEncoded(bytes: Buffer, opts?: CommandOptions): Promise<string> {
    return this.conn.commandEncoded(bytes, opts);
  }
  /** `exit` and wait for the close (bounded). */
  exit(timeoutMs?: number): Promise<void> {
    return this.conn.exit(timeoutMs);
  }
  destroy(): void {
    this.conn.destroy();
  }
}
