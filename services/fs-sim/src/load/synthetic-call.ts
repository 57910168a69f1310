import type { MediaQuality } from '../core/channel.ts';
import type { ChannelRuntime, SwitchCore } from '../core/switch-core.ts';
import type { TimerHandle } from '../core/timer-queue.ts';
import { inboundSipVars } from '../sip/sip-vars.ts';
import type { CallerStep } from './caller-script.ts';

/** A call placed without SIP (tests, load mode). */
export interface SyntheticCallOptions {
  destination: string;
  callerIdNumber?: string;
  callerIdName?: string;
  context?: string;
  vars?: Record<string, string>;
  quality?: MediaQuality;
  /** Caller behaviour once answered (or at once with `startImmediately`). */
  script?: CallerStep[];
  /** Run the script from creation instead of from answer. */
  startImmediately?: boolean;
  /** Called when the channel is destroyed. */
  onEnd?: (rt: ChannelRuntime) => void;
  /**
   * Only a few variables instead of mod_sofia's ~70 (load mode default): events shrink from
   * ~5 KB to ~2 KB, so tens of thousands of channels stay cheap.
   */
  lean?: boolean;
}

let counter = 0;

/**
 * Create an inbound channel as if a SIP caller had sent INVITE (same variables as the SIP UAS,
 * at a fake address), route it through the dialplan and drive the caller script with the
 * shared timer queue. Returns undefined when the switch refuses (max sessions, paused).
 */
export function placeSyntheticCall(sw: SwitchCore, o: SyntheticCallOptions): ChannelRuntime | undefined {
  const n = ++counter;
  const user = o.callerIdNumber ?? 'sim';
  const port = 10000 + (n % 50000);
  const [localHost = '127.0.0.1', localPortStr = '5080'] = sw.sipAddress.split(':');
  const info = {
    fromUser: user,
    fromHost: '127.0.0.1',
    fromPort: port,
    fromDisplay: o.callerIdName ?? user,
    toUser: o.destination,
    localHost,
    localPort: Number(localPortStr),
    callId: `sim-${n}@127.0.0.1`,
    fromTag: `simtag${n}`,
    toTag: `fssim${n}`,
    via: `SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-sim-${n}`,
    localMediaPort: 16384 + (n % 8000) * 2,
    remoteMediaPort: 6000 + (n % 1000) * 2,
  };
  const vars: Array<[string, string]> = o.lean
    ? [
        ['sip_from_user', user],
        ['sip_to_user', o.destination],
        ['sip_call_id', info.callId],
        ['sofia_profile_name', 'internal'],
      ]
    : inboundSipVars(info);
  for (const [k, v] of Object.entries(o.vars ?? {})) vars.push([k, v]);
  let timer: TimerHandle | undefined;
  let step = 0;
  let started = false;
  const script = o.script ?? [];
  const rt = sw.createChannel({
    name: `sofia/internal/${user}@127.0.0.1:${port}`,
    direction: 'inbound',
    quality: o.quality,
    profile: {
      username: user,
      dialplan: 'XML',
      callerIdName: o.callerIdName ?? user,
      callerIdNumber: user,
      origCallerIdName: o.callerIdName ?? user,
      origCallerIdNumber: user,
      networkAddr: '127.0.0.1',
      ani: user,
      destinationNumber: o.destination,
      source: 'mod_sofia',
      context: o.context ?? 'public',
      profileIndex: 1,
    },
    vars,
    transport: {
      answer: () => run(),
      hangup: () => timer?.cancel(),
    },
  });
  if (!rt) return undefined;
  const run = (): void => {
    if (started) return;
    started = true;
    next();
  };
  const next = (): void => {
    const s = script[step++];
    if (!s || rt.ch.isHungUp) return;
    if (s.kind === 'wait') {
      timer = sw.timers.after(s.ms / sw.opts.mediaScale, next);
      return;
    }
    if (s.kind === 'press') for (const d of s.digits) sw.dtmf(rt.ch, d, 'RTP');
    else {
      rt.ch.setVar('sip_hangup_disposition', 'recv_bye');
      sw.hangup(rt.ch, 'NORMAL_CLEARING', { fromTransport: true });
      return;
    }
    next();
  };
  rt.onDestroy.push(() => {
    timer?.cancel();
    o.onEnd?.(rt);
  });
  sw.route(rt);
  if (o.startImmediately) run();
  return rt;
}
