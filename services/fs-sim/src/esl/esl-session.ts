import type { Socket } from 'node:net';
import { EVENT_NAMES, type EslFrame, EslFrameParser, encodeApiResponse, encodeCommandReply, encodeEvent, plainEventBody } from '@switchyard/esl';
import { encodeSegments } from '../core/event-segment.ts';
import type { EventListener } from '../core/event-bus.ts';
import type { FsEvent, Header } from '../core/event.ts';
import type { ChannelRuntime, SwitchCore } from '../core/switch-core.ts';
import { runApi } from '../api/api-commands.ts';
import { GOODBYE, MYEVENTS, OUTBOUND_BASIC } from './myevents.ts';
import { parseSendMsg, wantsAsync } from './sendmsg-parser.ts';

/** How a session was opened. */
export interface SessionMode {
  kind: 'inbound' | 'outbound';
  password?: string;
  /** Outbound: the channel the socket app controls. */
  channel?: ChannelRuntime;
  async?: boolean;
  full?: boolean;
}

type Filter = { header: string; value: string; re?: RegExp };

/** FreeSWITCH's per-listener queue limit and its consecutive-drop kill threshold (MES:36-37). */
const MAX_QUEUE = 100_000;
const MAX_MISSED = 500;
/**
 * Above this many bytes buffered on the socket, events are dropped like FreeSWITCH's full
 * queue (MAX_QUEUE events of a few KB each).
 */
const HIGH_WATER = 256 * 1024 * 1024;


/**
 * One mod_event_socket listener: commands in, replies and events out, for inbound (auth)
 * and outbound (`socket` app) connections. Commands run strictly one at a time, and events
 * are held while a blocking command (api, sync sendmsg) runs, as in FreeSWITCH.
 */
export class EslSession implements EventListener {
  private readonly parser = new EslFrameParser();
  private authed: boolean;
  private format: 'plain' | 'json' | 'xml' = 'plain';
  private all = false;
  private readonly names = new Set<string>();
  private filters: Filter[] = [];
  private myUuid: string | undefined;
  /** undefined = no linger; -1 = forever; otherwise seconds. */
  private linger: number | undefined;
  private readonly frames: EslFrame[] = [];
  private busy = false;
  private held: Array<Buffer | string> = [];
  private missed = 0;
  private closed = false;
  private channelGone = false;
  private hangupDelivered = false;
  private subscribed = false;
  private logLevel = 7;
  /** log/data frames (MES:1376-1397): Content-Length second, then the log headers. */
  private readonly logSink = (level: number, text: string, file: string, func: string, line: number): void => {
    if (level > this.logLevel) return;
    const names = ['CONSOLE', 'ALERT', 'CRIT', 'ERR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'];
    const d = new Date();
    const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
    const stamp = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}000`;
    const body = Buffer.from(`${stamp} 95.00% [${names[level] ?? 'DEBUG'}] ${file}:${line} ${text}\n`, 'utf8');
    const head = `Content-Type: log/data\nContent-Length: ${body.length}\nLog-Level: ${level}\nText-Channel: 3\nLog-File: ${file}\nLog-Func: ${func}\nLog-Line: ${line}\nUser-Data: \n\n`;
    this.send(Buffer.concat([Buffer.from(head), body]));
  };

  constructor(
    private readonly sw: SwitchCore,
    private readonly socket: Socket,
    private readonly mode: SessionMode,
    private readonly onClose: (s: EslSession) => void,
  ) {
    this.authed = mode.kind === 'outbound';
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
    if (mode.kind === 'inbound') this.write(Buffer.from('Content-Type: auth/request\n\n'));
    sw.bus.add(this);
  }

  // ---- EventListener ------------------------------------------------------------------
  wants(name: string, channelUuid: string | undefined): boolean {
    if (this.closed || !this.subscribed) return false;
    // once the controlled channel is gone an outbound socket gets no more events (captures);
    // a static socket still gets the CHANNEL_HANGUP that follows its notice
    if (this.channelGone && this.mode.kind === 'outbound') {
      if (name !== 'CHANNEL_HANGUP' || this.hangupDelivered || this.mode.async) return false;
      return channelUuid === this.mode.channel?.ch.uuid;
    }
    if (this.myUuid !== undefined) {
      if (channelUuid !== this.myUuid) return false;
      if (MYEVENTS.has(name)) return true;
    }
    return this.all || this.names.has(name);
  }

  deliver(ev: FsEvent): void {
    if (this.channelGone) this.hangupDelivered = true;
    if (this.filters.length > 0 && !this.passesFilters(ev)) return;
    if (this.format === 'xml') {
      this.send(this.xmlEvent(ev));
      return;
    }
    // a field on the event, not a WeakMap: ephemeron tables made GC dominate at high rates
    let cache = ev.encoded;
    if (!cache) {
      cache = {};
      ev.encoded = cache;
    }
    let buf = this.format === 'plain' ? cache.plain : cache.json;
    if (!buf) {
      buf = ev.segments ? encodeSegments(this.format, ev.segments, ev.body) : encodeEvent(this.format, ev.headers, ev.body);
      if (this.format === 'plain') cache.plain = buf;
      else cache.json = buf;
    }
    this.send(buf);
  }

  private passesFilters(ev: FsEvent): boolean {
    for (const f of this.filters) {
      for (const [k, v] of ev.headers) {
        if (k.toLowerCase() !== f.header) continue;
        if (f.re ? f.re.test(v) : v === f.value) return true;
      }
    }
    return false;
  }

  private xmlEvent(ev: FsEvent): Buffer {
    const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const hs = ev.headers.map(([k, v]) => `    <${k}>${esc(encodeURIComponent(v))}</${k}>\n`).join('');
    const body = ev.body ? `  <body>${esc(ev.body)}</body>\n` : '';
    const inner = Buffer.from(`<event>\n  <headers>\n${hs}  </headers>\n${body}</event>`, 'utf8');
    return Buffer.concat([Buffer.from(`Content-Length: ${inner.length}\nContent-Type: text/event-xml\n\n`), inner]);
  }

  /** Queue an event frame, holding it while a blocking command runs; drop when the client lags. */
  private send(buf: Buffer | string): void {
    if (this.closed) return;
    if (this.busy) {
      if (this.held.length < MAX_QUEUE) this.held.push(buf);
      else this.dropped();
      return;
    }
    if (this.socket.writableLength + this.outboxBytes > HIGH_WATER) {
      this.dropped();
      return;
    }
    this.missed = 0;
    this.queueOut(buf);
  }

  /**
   * Frames written in one tick are joined and written once: thousands of small socket writes
   * (each a libuv request and a UTF-8 conversion of a rope string) cost far more than one.
   */
  private outbox: Array<Buffer | string> = [];
  private outboxBytes = 0;
  private flushScheduled = false;

  private queueOut(chunk: Buffer | string): void {
    this.outbox.push(chunk);
    this.outboxBytes += chunk.length;
    if (this.outboxBytes > 1 << 20) this.flushOut();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flushOut());
    }
  }

  private flushOut(): void {
    this.flushScheduled = false;
    const parts = this.outbox;
    if (parts.length === 0 || this.closed) return;
    this.outbox = [];
    this.outboxBytes = 0;
    let run: string[] = [];
    for (const p of parts) {
      if (typeof p === 'string') {
        run.push(p);
        continue;
      }
      if (run.length > 0) this.socket.write(run.join(''));
      run = [];
      this.socket.write(p);
    }
    if (run.length > 0) this.socket.write(run.join(''));
  }

  private dropped(): void {
    if (++this.missed > MAX_MISSED) this.close();
  }

  private flushHeld(): void {
    const held = this.held;
    this.held = [];
    for (const b of held) this.send(b);
  }

  // ---- command handling -----------------------------------------------------------------
  private onData(chunk: Buffer): void {
    try {
      this.parser.push(chunk, (frame) => this.frames.push(frame));
    } catch {
      // unframeable input: FreeSWITCH drops such a listener
      this.close();
      return;
    }
    this.drain();
  }

  private drain(): void {
    while (!this.busy && !this.closed && this.frames.length > 0) {
      const frame = this.frames.shift() as EslFrame;
      try {
        this.handle(frame);
      } catch {
        this.reply('-ERR command failed');
      }
    }
  }

  /** Mark the connection blocked until `done` (api, sync sendmsg). */
  private block(run: (done: () => void) => void): void {
    this.busy = true;
    run(() => {
      this.busy = false;
      this.flushHeld();
      this.drain();
    });
  }

  private write(buf: Buffer): void {
    if (!this.closed) this.queueOut(buf);
  }

  private reply(text: string, extra: Header[] = []): void {
    this.write(encodeCommandReply(text, extra));
  }

  private handle(frame: EslFrame): void {
    const line = frame.commandLine().trim();
    const sp = line.indexOf(' ');
    const cmd = (sp < 0 ? line : line.slice(0, sp)).toLowerCase();
    const args = sp < 0 ? '' : line.slice(sp + 1).trim();
    if (!this.authed) {
      if (cmd === 'auth') this.auth(args);
      else if (cmd === 'exit') this.exit();
      else this.reply('-ERR command not found');
      return;
    }
    if (this.mode.kind === 'outbound' && !this.mode.full && !OUTBOUND_BASIC.has(cmd)) {
      this.reply('-ERR command not found');
      return;
    }
    switch (cmd) {
      case 'auth':
        this.reply('+OK accepted');
        return;
      case 'api':
        this.api(args, frame);
        return;
      case 'bgapi':
        this.bgapi(args, frame);
        return;
      case 'event':
        this.event(args);
        return;
      case 'myevents':
        this.myevents(args);
        return;
      case 'nixevent':
        this.nixevent(args);
        return;
      case 'noevents':
        this.held = [];
        if (!this.subscribed) {
          this.reply('-ERR not listening for events');
          return;
        }
        this.all = false;
        this.names.clear();
        this.subscribed = false;
        this.reply('+OK no longer listening for events');
        return;
      case 'filter':
        this.filter(args);
        return;
      case 'linger':
      case 'nolinger':
        // only a socket bound to a session can linger (MES:2431-2456)
        if (!this.mode.channel && this.myUuid === undefined) this.reply('-ERR not controlling a session');
        else if (cmd === 'linger') this.lingerCmd(args);
        else {
          this.linger = undefined;
          this.reply('+OK will not linger');
        }
        return;
      case 'sendmsg':
        this.sendmsg(args, frame, line);
        return;
      case 'sendevent':
        this.reply(`+OK ${this.sw.newUuid()}`);
        return;
      case 'connect':
        this.connect();
        return;
      case 'getvar':
        this.reply(this.mode.channel?.ch.getVar(args) ?? '');
        return;
      case 'resume':
        this.reply('+OK');
        return;
      case 'divert_events':
        this.reply(args === 'on' ? '+OK events diverted' : '+OK events not diverted');
        return;
      case 'log':
        this.logLevel = logLevel(args || 'debug');
        this.sw.logSinks.add(this.logSink);
        this.reply(`+OK log level ${args || 'debug'} [${this.logLevel}]`);
        return;
      case 'nolog':
        this.reply(this.sw.logSinks.has(this.logSink) ? '+OK no longer logging' : '-ERR not loging');
        this.sw.logSinks.delete(this.logSink);
        return;
      case 'exit':
        this.exit();
        return;
      default:
        this.reply('-ERR command not found');
    }
  }

  private auth(password: string): void {
    if (password === this.mode.password) {
      this.authed = true;
      this.reply('+OK accepted');
      return;
    }
    this.reply('-ERR invalid');
    this.disconnect();
  }

  private api(args: string, _frame: EslFrame): void {
    const sp = args.indexOf(' ');
    const cmd = sp < 0 ? args : args.slice(0, sp);
    const rest = sp < 0 ? '' : args.slice(sp + 1);
    this.block((done) => {
      void runApi(this.sw, cmd, rest).then((out) => {
        this.write(encodeApiResponse(out));
        this.apiEvent(cmd, rest);
        done();
      });
    });
  }

  private apiEvent(cmd: string, rest: string): void {
    if (!this.sw.bus.wants('API')) return;
    const h: Header[] = [['API-Command', cmd]];
    if (rest !== '') h.push(['API-Command-Argument', rest]);
    this.sw.emit(this.sw.events.plain('API', h));
  }

  private bgapi(args: string, frame: EslFrame): void {
    const jobUuid = frame.header('Job-UUID') ?? this.sw.newUuid();
    this.reply(`+OK Job-UUID: ${jobUuid}`, [['Job-UUID', jobUuid]]);
    const sp = args.indexOf(' ');
    const cmd = sp < 0 ? args : args.slice(0, sp);
    const rest = sp < 0 ? '' : args.slice(sp + 1);
    const owner = this.mode.channel?.ch.uuid;
    void runApi(this.sw, cmd, rest).then((out) => {
      this.apiEvent(cmd, rest);
      const h: Header[] = [
        ['Job-UUID', jobUuid],
        ['Job-Command', cmd],
      ];
      if (rest !== '') h.push(['Job-Command-Arg', rest]);
      if (owner) h.push(['Job-Owner-UUID', owner]);
      if (this.sw.bus.wants('BACKGROUND_JOB', owner)) this.sw.emit(this.sw.events.plain('BACKGROUND_JOB', h, out, owner));
    });
  }

  private parseFormat(words: string[]): boolean {
    const f = words[0]?.toLowerCase();
    if (f === 'plain' || f === 'json' || f === 'xml') {
      this.format = f;
      words.shift();
      return true;
    }
    return false;
  }

  private event(args: string): void {
    const words = args.split(/\s+/).filter(Boolean);
    this.parseFormat(words);
    let any = false;
    let custom = false;
    for (const w of words) {
      const name = w.toUpperCase();
      if (custom) {
        any = true;
        continue;
      }
      if (name === 'CUSTOM') {
        custom = true;
        this.names.add('CUSTOM');
        any = true;
      } else if (name === 'ALL') {
        this.all = true;
        any = true;
      } else if (EVENT_NAMES.has(name)) {
        this.names.add(name);
        any = true;
      }
    }
    if (!any) {
      this.reply('-ERR no keywords supplied');
      return;
    }
    this.subscribed = true;
    this.reply(`+OK event listener enabled ${this.format}`);
  }

  private nixevent(args: string): void {
    const words = args.split(/\s+/).filter(Boolean);
    if (words.length === 0) {
      this.reply('-ERR no keywords supplied');
      return;
    }
    for (const w of words) {
      const name = w.toUpperCase();
      if (name === 'ALL') {
        this.all = false;
        this.names.clear();
      } else this.names.delete(name);
    }
    this.reply('+OK events nixed');
  }

  private myevents(args: string): void {
    const words = args.split(/\s+/).filter(Boolean);
    if (this.mode.kind === 'outbound') {
      this.parseFormat(words);
      this.myUuid = this.mode.channel?.ch.uuid;
    } else {
      const uuid = words.shift();
      this.parseFormat(words);
      const rt = uuid ? this.sw.runtime(uuid) : undefined;
      if (!rt) {
        this.reply('-ERR invalid uuid');
        return;
      }
      this.myUuid = rt.ch.uuid;
    }
    this.subscribed = true;
    this.reply('+OK Events Enabled');
  }

  private filter(args: string): void {
    const words = args.split(/\s+/).filter(Boolean);
    if (words[0]?.toLowerCase() === 'delete') {
      const header = words[1];
      const value = words.slice(2).join(' ');
      if (!header) {
        this.reply('-ERR invalid syntax');
        return;
      }
      if (header.toLowerCase() === 'all') this.filters = [];
      else this.filters = this.filters.filter((f) => !(f.header === header.toLowerCase() && (value === '' || f.value === value)));
      this.reply(`+OK filter deleted. [${header}]${value ? `[${value}]` : ''}`);
      return;
    }
    const header = words[0];
    const value = words.slice(1).join(' ');
    if (!header || value === '') {
      this.reply('-ERR invalid syntax');
      return;
    }
    let re: RegExp | undefined;
    if (value.startsWith('/')) {
      try {
        re = new RegExp(value.slice(1, value.endsWith('/') ? -1 : undefined));
      } catch {
        this.reply('-ERR invalid syntax');
        return;
      }
    }
    this.filters.push({ header: header.toLowerCase(), value, re });
    this.reply(`+OK filter added. [${header}]=[${value}]`);
  }

  private lingerCmd(args: string): void {
    const n = Number.parseInt(args, 10);
    if (Number.isFinite(n) && n > 0) {
      this.linger = n;
      this.reply(`+OK will linger ${n} seconds`);
    } else {
      this.linger = -1;
      this.reply('+OK will linger');
    }
  }

  private sendmsg(args: string, frame: EslFrame, line: string): void {
    const target = args.trim();
    const rt = target ? this.sw.runtime(target) : this.mode.channel;
    if (!rt || rt.destroyed) {
      this.reply(`-ERR invalid session id [${target}]`);
      return;
    }
    const msg = parseSendMsg(frame, line === 'sendmsg' ? `sendmsg ${rt.ch.uuid}` : line);
    const sync = this.mode.kind === 'outbound' && !this.mode.async && !target && !wantsAsync(msg);
    if (!sync) {
      if (!rt.exec.canEnqueue) {
        this.reply('-ERR queue full');
        return;
      }
      // +OK means queued: it goes out before anything the message makes happen
      this.reply('+OK');
      rt.exec.enqueue(msg);
      return;
    }
    // Static (sync) socket: the app runs inline in the channel thread and the reply waits for it.
    this.block((done) => {
      msg.onDone = () => {
        this.reply('+OK');
        done();
      };
      this.sw.runMessage(rt.ch, msg);
      if (rt.ch.isHungUp && msg.command === 'execute' && !rt.exec.idle) return;
    });
  }

  /** Outbound `connect`: CHANNEL_DATA as plain headers plus the reply lines (MES:2023-2046). */
  private connect(): void {
    const rt = this.mode.channel;
    if (!rt) {
      this.reply('-ERR command not found');
      return;
    }
    const ch = rt.ch;
    const h: Header[] = [];
    this.sw.events.coreHeaders(h, 'CHANNEL_DATA', Date.now());
    ch.profileHeaders(h, 'Channel');
    ch.channelHeaders(h);
    ch.profileHeaders(h, 'Caller');
    ch.otherLegHeaders(h);
    ch.variableHeaders(h);
    h.push(
      ['Content-Type', 'command/reply'],
      ['Reply-Text', '+OK\n'],
      ['Socket-Mode', this.mode.async ? 'async' : 'static'],
      ['Control', this.mode.full ? 'full' : 'single-channel'],
    );
    this.write(plainEventBody(h));
  }

  private exit(): void {
    this.reply('+OK bye');
    this.disconnect();
  }

  /** Send the disconnect notice and close. */
  disconnect(): void {
    if (this.closed) return;
    const h = this.mode.channel
      ? `Content-Type: text/disconnect-notice\nControlled-Session-UUID: ${this.mode.channel.ch.uuid}\nContent-Disposition: disconnect\nContent-Length: ${GOODBYE.length}\n\n`
      : `Content-Type: text/disconnect-notice\nContent-Length: ${GOODBYE.length}\n\n`;
    this.write(Buffer.from(h + GOODBYE));
    this.flushOut();
    this.socket.end();
    this.close();
  }

  /**
   * The controlled channel hung up (outbound) — after HANGUP_COMPLETE: with linger, send the
   * linger notice and stay (forever, or close after N s); without, disconnect.
   */
  channelEnded(rt: ChannelRuntime): void {
    if (this.closed || this.channelGone) return;
    this.channelGone = true;
    if (this.mode.kind === 'inbound') return;
    if (this.linger === undefined) {
      this.disconnect();
      return;
    }
    const n = this.linger;
    this.write(
      Buffer.from(
        `Content-Type: text/disconnect-notice\nControlled-Session-UUID: ${rt.ch.uuid}\nContent-Disposition: linger\nChannel-Name: ${rt.ch.name}\nLinger-Time: ${n}\nContent-Length: 0\n\n`,
      ),
    );
    if (n > 0) {
      const t = setTimeout(() => this.disconnect(), n * 1000);
      t.unref();
    }
  }

  /** Close without a notice (socket error, server shutdown). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sw.bus.remove(this);
    this.sw.logSinks.delete(this.logSink);
    this.frames.length = 0;
    this.held = [];
    if (!this.socket.destroyed) this.socket.end();
    this.onClose(this);
  }

  /** Bytes written to this connection but not yet taken by the kernel. */
  get bufferedBytes(): number {
    return this.closed ? 0 : this.socket.writableLength + this.outboxBytes;
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

function logLevel(name: string): number {
  const levels: Record<string, number> = { console: 0, alert: 1, crit: 2, err: 3, warning: 4, notice: 5, info: 6, debug: 7 };
  return levels[name.toLowerCase()] ?? 7;
}
