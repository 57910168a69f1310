import type { App, AppRun } from '../apps/app.ts';
import type { Channel } from './channel.ts';
import type { Header } from './event.ts';
import type { SwitchCore } from './switch-core.ts';

/** A parsed `sendmsg` (switch_ivr_parse_event input). */
export interface SendMsg {
  headers: Header[];
  command: string;
  appName?: string;
  appArg?: string;
  loops: number;
  eventLock: boolean;
  eventUuid?: string;
  hangupCause?: string;
  /** The `sendmsg <uuid>` command line, for PRIVATE_COMMAND's `Command` header. */
  commandLine: string;
  body?: string;
  onDone?: () => void;
}

interface Frame {
  app: App;
  arg: string;
  appUuid: string;
  run: AppRun | undefined;
  locked: boolean;
  finished: boolean;
  response: string | undefined;
  msg: SendMsg | undefined;
  loopsLeft: number;
  loopIndex: number;
  onComplete: (() => void) | undefined;
}

const MAX_QUEUE = 1000;

/**
 * Runs applications on one channel with FreeSWITCH's nesting rules: the dialplan runs apps in
 * order; queued sendmsg messages run *inside* an app that parses events (park, playback...),
 * and `event-lock` stops further messages from being dequeued until the locked app ends.
 */
export class Executor {
  private readonly stack: Frame[] = [];
  private readonly queue: SendMsg[] = [];
  private pumping = false;
  /** Unwinding every app because of a transfer. */
  private stopping = false;

  constructor(
    private readonly sw: SwitchCore,
    private readonly ch: Channel,
  ) {}

  get currentApp(): string | undefined {
    return this.stack[this.stack.length - 1]?.app.name;
  }

  get currentAppArg(): string | undefined {
    return this.stack[this.stack.length - 1]?.arg;
  }

  get idle(): boolean {
    return this.stack.length === 0;
  }

  /** True when some running app is `park` (or the async socket app, which parks). */
  get parked(): boolean {
    return this.stack.some((f) => f.app.name === 'park' || (f.app.name === 'socket' && f.app.parsesEvents));
  }

  /** Room for another queued message? */
  get canEnqueue(): boolean {
    return this.queue.length < MAX_QUEUE;
  }

  /** Queue a message; false if the queue is full. */
  enqueue(msg: SendMsg): boolean {
    if (this.queue.length >= MAX_QUEUE) return false;
    this.queue.push(msg);
    this.pump();
    return true;
  }

  /** Execute an app now (dialplan step or nested message). */
  exec(app: App, arg: string, opts: { appUuid?: string; locked?: boolean; msg?: SendMsg; loops?: number; onComplete?: () => void } = {}): void {
    const frame: Frame = {
      app,
      arg,
      appUuid: opts.appUuid ?? this.sw.newUuid(),
      run: undefined,
      locked: opts.locked ?? false,
      finished: false,
      response: undefined,
      msg: opts.msg,
      loopsLeft: opts.loops ?? 1,
      loopIndex: 1,
      onComplete: opts.onComplete,
    };
    const below = this.stack[this.stack.length - 1];
    if (below && !below.finished) below.run?.onPause?.();
    this.stack.push(frame);
    this.startFrame(frame);
  }

  private startFrame(frame: Frame): void {
    const ch = this.ch;
    if (frame.msg && frame.msg.loops !== 1) {
      ch.setVar('current_loop', String(frame.loopIndex));
      ch.setVar('total_loops', String(frame.msg.loops));
    }
    ch.setVar('current_application', frame.app.name);
    ch.setVar('current_application_data', frame.arg);
    ch.setVar('current_application_response', undefined);
    if (frame.msg?.eventUuid) ch.setVar('app_uuid', frame.msg.eventUuid);
    const post: Header[] = [['Application', frame.app.name]];
    if (frame.arg !== '') post.push(['Application-Data', frame.arg]);
    post.push(['Application-UUID', frame.appUuid]);
    this.sw.emitChannel('CHANNEL_EXECUTE', ch, { post });
    let sync = true;
    let doneEarly = false;
    const run = frame.app.start({
      sw: this.sw,
      ch,
      arg: frame.arg,
      done: (response?: string) => {
        if (frame.finished) return;
        frame.finished = true;
        if (response !== undefined) ch.setVar('current_application_response', response);
        frame.response = response;
        if (sync) doneEarly = true;
        else this.unwind();
      },
    });
    frame.run = run;
    sync = false;
    // The app may already have been unwound (hangup/transfer from inside start()).
    if (!this.stack.includes(frame)) return;
    if (doneEarly) this.unwind();
    else if (ch.isHungUp) this.hangupFrame(frame);
    else this.pump();
  }

  /** Pop finished frames from the top, emitting their completions, then resume. */
  private unwind(): void {
    for (;;) {
      const top = this.stack[this.stack.length - 1];
      if (!top?.finished) break;
      this.stack.pop();
      this.complete(top);
      if (top.loopsLeft !== 1 && !this.ch.isHungUp) {
        top.loopsLeft = top.loopsLeft < 0 ? top.loopsLeft : top.loopsLeft - 1;
        top.loopIndex++;
        top.finished = false;
        top.appUuid = this.sw.newUuid();
        this.stack.push(top);
        this.startFrame(top);
        return;
      }
      top.onComplete?.();
      top.msg?.onDone?.();
    }
    if ((this.ch.isHungUp || this.stopping) && this.stack.length > 0) {
      this.hangupAll();
      return;
    }
    this.stopping = false;
    if (this.stack.length === 0) {
      this.sw.onExecutorIdle(this.ch);
      return;
    }
    (this.stack[this.stack.length - 1] as Frame).run?.onResume?.();
    this.pump();
  }

  private complete(frame: Frame): void {
    const ch = this.ch;
    const response = ch.getVar('current_application_response') ?? '_none_';
    const post: Header[] = [['Application', frame.app.name]];
    if (frame.arg !== '') post.push(['Application-Data', frame.arg]);
    post.push(['Application-Response', response], ['Application-UUID', frame.appUuid]);
    this.sw.emitChannel('CHANNEL_EXECUTE_COMPLETE', ch, { post });
    ch.setVar('last_app', frame.app.name);
    if (frame.arg !== '') ch.setVar('last_arg', frame.arg);
    if (frame.msg) this.sw.emitPrivateCommand(ch, frame.msg);
  }

  /** Dequeue messages while the innermost app parses events and nothing holds the event lock. */
  pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0 && !this.ch.isHungUp) {
        const top = this.stack[this.stack.length - 1];
        if (!top?.app.parsesEvents || top.finished) break;
        if (this.stack.some((f) => f.locked && !f.finished)) break;
        const msg = this.queue.shift() as SendMsg;
        this.sw.runMessage(this.ch, msg);
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Messages still queued (e.g. on a channel that is not parsing events). */
  get queued(): number {
    return this.queue.length;
  }

  /** Deliver a DTMF digit to the innermost app that listens. */
  dtmf(digit: string): void {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const f = this.stack[i] as Frame;
      if (f.run?.onDtmf && !f.finished) {
        f.run.onDtmf(digit);
        return;
      }
    }
  }

  /** uuid_break: interrupt media on the innermost running app. */
  breakMedia(): void {
    const f = this.stack[this.stack.length - 1];
    f?.run?.onBreak?.();
  }

  /** Transfer: end every running app (park gives UNPARK + EXECUTE_COMPLETE), then the switch re-routes. */
  transferOut(): void {
    if (this.stack.length === 0) {
      this.sw.onExecutorIdle(this.ch);
      return;
    }
    this.stopping = true;
    this.queue.length = 0;
    const top = this.stack[this.stack.length - 1] as Frame;
    this.hangupFrame(top);
  }

  /** The channel hung up: end every running app, innermost first. */
  hangupAll(): void {
    const top = this.stack[this.stack.length - 1];
    if (!this.stopping) this.queue.length = 0;
    if (top) this.hangupFrame(top);
  }

  private hangupFrame(frame: Frame): void {
    if (frame.finished) {
      this.unwind();
      return;
    }
    if (frame.run?.onHangup) frame.run.onHangup();
    else {
      frame.finished = true;
      this.unwind();
    }
  }
}
