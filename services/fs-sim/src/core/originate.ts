import type { ChannelRuntime, SwitchCore } from './switch-core.ts';
import type { TimerHandle } from './timer-queue.ts';

/** Progress reports an endpoint gives while dialling. */
export interface DialCallbacks {
  progress(): void;
  answer(): void;
  /** The call failed before answer (SIP final error, unreachable...). */
  fail(cause: string, vars?: Array<[string, string]>): void;
  /** The far end hung up after answer. */
  remoteHangup(cause: string, vars?: Array<[string, string]>): void;
}

/** An in-progress dial: the switch ends it with CANCEL/BYE semantics. */
export interface DialHandle {
  hangup(cause: string): void;
}

/** A technology (`sofia`, `sim`, `loopback`) that can place an outgoing leg. */
export interface Endpoint {
  /** Channel-Name for the leg, e.g. `sofia/internal/x@127.0.0.1:5391`. */
  channelName(target: string): string;
  dial(rt: ChannelRuntime, target: string, cb: DialCallbacks): DialHandle;
}

/** A parsed dial string: `{a=b,c=d}tech/rest`. */
export interface DialString {
  vars: Array<[string, string]>;
  tech: string;
  rest: string;
}

/** Parse `{vars}tech/rest`; undefined when malformed. */
export function parseDialString(s: string): DialString | undefined {
  let str = s.trim();
  const vars: Array<[string, string]> = [];
  while (str.startsWith('{') || str.startsWith('[') || str.startsWith('<')) {
    const close = str.indexOf(str[0] === '{' ? '}' : str[0] === '[' ? ']' : '>');
    if (close < 0) return undefined;
    for (const kv of str.slice(1, close).split(',')) {
      const eq = kv.indexOf('=');
      if (eq > 0) vars.push([kv.slice(0, eq).trim(), kv.slice(eq + 1)]);
    }
    str = str.slice(close + 1);
  }
  const slash = str.indexOf('/');
  if (slash <= 0) return undefined;
  return { vars, tech: str.slice(0, slash), rest: str.slice(slash + 1) };
}

/** Outcome of originating one leg. */
export type LegOutcome = { ok: true; rt: ChannelRuntime } | { ok: false; cause: string };

/**
 * Originate one leg (switch_ivr_originate): OUTGOING, CREATE, ORIGINATE, ROUTING,
 * CONSUME_MEDIA, then PROGRESS/ANSWER (+CALL_UPDATE) or a hangup with the failure cause.
 * `originate_timeout` expiry gives NO_ANSWER (FreeSWITCH counts whole epoch seconds).
 */
export function originateLeg(sw: SwitchCore, dial: DialString, extraVars: Array<[string, string]>, done: (o: LegOutcome) => void): void {
  const ep = sw.endpoints.get(dial.tech);
  if (!ep) {
    done({ ok: false, cause: 'CHAN_NOT_IMPLEMENTED' });
    return;
  }
  const vars = [...extraVars, ...dial.vars];
  const v = (k: string): string | undefined => vars.find(([n]) => n === k)?.[1];
  const user = (dial.rest.split('/').pop() ?? '').split('@')[0] ?? '';
  const cidNum = v('origination_caller_id_number') ?? '0000000000';
  // unset name stays empty (its Caller-* header is then absent), the number defaults like FS
  const cidName = v('origination_caller_id_name') ?? '';
  const rt = sw.createChannel({
    uuid: v('origination_uuid'),
    name: ep.channelName(dial.rest),
    direction: 'outbound',
    outgoing: true,
    profile: {
      username: '',
      dialplan: '',
      callerIdName: cidName,
      callerIdNumber: cidNum,
      origCallerIdName: cidName,
      origCallerIdNumber: cidNum,
      calleeIdName: 'Outbound Call',
      calleeIdNumber: user,
      networkAddr: '',
      ani: cidNum,
      destinationNumber: user,
      source: 'src/switch_ivr_originate.c',
      context: 'default',
      profileIndex: 1,
    },
    vars: [...vars, ['originate_early_media', 'true'], ['originate_endpoint', dial.tech]],
  });
  if (!rt) {
    done({ ok: false, cause: sw.paused ? 'NORMAL_TEMPORARY_FAILURE' : 'SWITCH_CONGESTION' });
    return;
  }
  const ch = rt.ch;
  sw.emitChannel('CHANNEL_ORIGINATE', ch);
  sw.setState(ch, 'CS_ROUTING');
  sw.setState(ch, 'CS_CONSUME_MEDIA');
  let settled = false;
  let timer: TimerHandle | undefined;
  const settle = (o: LegOutcome): void => {
    if (settled) return;
    settled = true;
    timer?.cancel();
    done(o);
  };
  const timeoutSec = Number.parseInt(v('originate_timeout') ?? v('call_timeout') ?? '60', 10) || 60;
  // whole-second clock, as FreeSWITCH's originate loop compares epoch seconds
  const timeoutMs = Math.max(0, timeoutSec * 1000 - (Date.now() % 1000));
  const handle = ep.dial(rt, dial.rest, {
    progress: () => {
      sw.ringReady(ch);
      sw.setCallState(ch, 'RINGING');
    },
    answer: () => {
      sw.answer(ch);
      // switch_channel_flip_cid: the answered leg now shows the callee as its caller id
      const p = ch.profile;
      const callerName = p.callerIdName;
      const callerNum = p.callerIdNumber;
      p.callerIdName = p.calleeIdName ?? callerName;
      p.callerIdNumber = p.calleeIdNumber ?? callerNum;
      p.calleeIdName = callerName;
      p.calleeIdNumber = callerNum;
      p.networkAddr = ch.getVar('sip_network_ip') ?? p.networkAddr;
      sw.emitChannel('CALL_UPDATE', ch, { pre: [['Direction', 'RECV']] });
      settle({ ok: true, rt });
    },
    fail: (cause, fvars) => {
      for (const [k, val] of fvars ?? []) ch.setVar(k, val);
      sw.hangup(ch, cause, { fromTransport: true });
      settle({ ok: false, cause });
    },
    remoteHangup: (cause, hvars) => {
      for (const [k, val] of hvars ?? []) ch.setVar(k, val);
      sw.hangup(ch, cause, { fromTransport: true });
    },
  });
  rt.transport = { hangup: (_c, cause) => handle.hangup(cause) };
  if (settled) return;
  timer = sw.timers.after(timeoutMs, () => {
    if (settled || ch.isHungUp) return;
    settled = true;
    sw.hangup(ch, 'NO_ANSWER');
    done({ ok: false, cause: 'NO_ANSWER' });
  });
}
