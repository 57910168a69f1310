import { randomUUID } from 'node:crypto';
import { defaultApps } from './apps/index.ts';
import { type MediaQuality, GOOD_LINE } from './core/channel.ts';
import { loopbackEndpoint } from './core/loopback-endpoint.ts';
import { simEndpoint } from './core/sim-endpoint.ts';
import { type ChannelRuntime, SwitchCore } from './core/switch-core.ts';
import { type Extension, createDialplan, defaultExtensions } from './dialplan/dialplan.ts';
import type { EslSession } from './esl/esl-session.ts';
import { InboundServer } from './esl/inbound-server.ts';
import { installOutboundSocket } from './esl/outbound-client.ts';
import { parseCallerScript } from './load/caller-script.ts';
import { type LoadOptions, type LoadRun, startLoad } from './load/load-generator.ts';
import { placeSyntheticCall } from './load/synthetic-call.ts';
import { startHeartbeat } from './core/heartbeat.ts';
import { SipServer } from './sip/sip-server.ts';

/** Options for {@link startFsSim}. Everything has a default matching the captures' node. */
export interface FsSimOptions {
  /** ESL listen address (default 127.0.0.1:0 = any free port). */
  eslHost?: string;
  eslPort?: number;
  /** ESL password (default `ClueCon`). */
  password?: string;
  /** SIP UDP address; `sipPort: false` disables SIP (default 127.0.0.1:0). */
  sipHost?: string;
  sipPort?: number | false;
  /** Dialplan extensions (default: the captures' 1000/2000/2001/3000). */
  dialplan?: Extension[];
  /** Outbound ESL address used by the default dialplan's 2000/2001 (default 127.0.0.1:8084). */
  socketAddress?: string;
  /** Max concurrent sessions (default 1000); INVITEs beyond get 503. */
  maxSessions?: number;
  /** HEARTBEAT interval in ms (default 20000; 0 disables). */
  heartbeatMs?: number;
  /** Prompt files the node knows, path → duration ms (file_exists says true for these). */
  files?: Record<string, number>;
  /** Duration for a file that is neither known nor a readable WAV (default 1000 ms). */
  defaultPlaybackMs?: number;
  /** FILE NOT FOUND for unknown files instead of the default duration. */
  strictFiles?: boolean;
  /** Speed up simulated media and caller scripts (2 = twice as fast). */
  mediaScale?: number;
  /** Node identity in events (default hostname `vm`, like the captures). */
  hostname?: string;
  ipv4?: string;
  ipv6?: string;
}

/** A running simulator. */
export interface FsSim {
  readonly eslPort: number;
  /** Bound SIP port, or undefined when SIP is disabled. */
  readonly sipPort: number | undefined;
  readonly password: string;
  /** The simulated switch (channels, events) for advanced use. */
  readonly core: SwitchCore;
  /** Live channel uuids. */
  channels(): string[];
  /** Place a call without SIP; resolves the channel uuid (undefined when refused). */
  placeCall(o: {
    destination: string;
    callerIdNumber?: string;
    callerIdName?: string;
    vars?: Record<string, string>;
    quality?: Partial<MediaQuality>;
    script?: string;
  }): string | undefined;
  /** The caller presses digits (DTMF events, collected by running apps). */
  pressDigits(uuid: string, digits: string, source?: 'RTP' | 'ENDPOINT'): boolean;
  /** The caller hangs up (like a BYE received). */
  hangupCall(uuid: string, cause?: string): boolean;
  /** Media-quality figures reported at hang-up for this channel. */
  setQuality(uuid: string, q: Partial<MediaQuality>): boolean;
  /** Load mode: N concurrent synthetic calls following a caller script. */
  startLoad(o: LoadOptions): LoadRun;
  close(): Promise<void>;
}

/** Start a FreeSWITCH simulator (ESL inbound server, outbound sockets, SIP UDP profile). */
export async function startFsSim(opts: FsSimOptions = {}): Promise<FsSim> {
  const files = new Map<string, number>(Object.entries(opts.files ?? { '/usr/share/freeswitch/sounds/en/us/esl-test-tone-1s.wav': 1000 }));
  const sw = new SwitchCore({
    node: { coreUuid: randomUUID(), hostname: opts.hostname ?? 'vm', ipv4: opts.ipv4 ?? '192.0.2.2', ipv6: opts.ipv6 ?? 'fd00::2' },
    maxSessions: opts.maxSessions ?? 1000,
    media: { defaultPlaybackMs: opts.defaultPlaybackMs ?? 1000, files, strictFiles: opts.strictFiles },
    dialplan: createDialplan(opts.dialplan ?? defaultExtensions(opts.socketAddress)),
    apps: defaultApps(),
    mediaScale: opts.mediaScale && opts.mediaScale > 0 ? opts.mediaScale : 1,
  });
  sw.endpoints.set('sim', simEndpoint(sw));
  sw.endpoints.set('loopback', loopbackEndpoint(sw));
  const outboundSessions = new Set<EslSession>();
  installOutboundSocket(sw, outboundSessions);
  const password = opts.password ?? 'ClueCon';
  const esl = new InboundServer(sw, password);
  const eslPort = await esl.listen(opts.eslHost ?? '127.0.0.1', opts.eslPort ?? 0);
  sw.backlog = () => esl.bufferedBytes();
  let sip: SipServer | undefined;
  let sipPort: number | undefined;
  if (opts.sipPort !== false) {
    sip = new SipServer(sw);
    sipPort = await sip.listen(opts.sipHost ?? '127.0.0.1', opts.sipPort ?? 0);
  }
  const stopHeartbeat = startHeartbeat(sw, opts.heartbeatMs ?? 20000);
  const rt = (uuid: string): ChannelRuntime | undefined => sw.runtime(uuid);
  const loads: LoadRun[] = [];
  return {
    eslPort,
    sipPort,
    password,
    core: sw,
    channels: () => [...sw.channels.keys()],
    placeCall(o) {
      const r = placeSyntheticCall(sw, {
        destination: o.destination,
        callerIdNumber: o.callerIdNumber,
        callerIdName: o.callerIdName,
        vars: o.vars,
        quality: o.quality ? { ...GOOD_LINE, ...o.quality } : undefined,
        script: o.script ? parseCallerScript(o.script) : undefined,
      });
      return r?.ch.uuid;
    },
    pressDigits(uuid, digits, source = 'RTP') {
      const r = rt(uuid);
      if (!r) return false;
      for (const d of digits) sw.dtmf(r.ch, d, source);
      return true;
    },
    hangupCall(uuid, cause = 'NORMAL_CLEARING') {
      const r = rt(uuid);
      if (!r) return false;
      r.ch.setVar('sip_hangup_disposition', 'recv_bye');
      r.ch.setVar('proto_specific_hangup_cause', 'sip:200');
      sw.hangup(r.ch, cause, { fromTransport: true });
      return true;
    },
    setQuality(uuid, q) {
      const r = rt(uuid);
      if (!r) return false;
      r.ch.quality = { ...r.ch.quality, ...q };
      return true;
    },
    startLoad(o) {
      const run = startLoad(sw, o);
      loads.push(run);
      return run;
    },
    async close() {
      for (const l of loads) l.stop();
      stopHeartbeat();
      sw.close();
      for (const s of [...outboundSessions]) s.close();
      await esl.close();
      await sip?.close();
    },
  };
}
