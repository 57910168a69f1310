import { randomBytes, randomUUID } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { Q850 } from '../core/hangup-vars.ts';
import type { DialCallbacks, DialHandle, Endpoint } from '../core/originate.ts';
import type { ChannelRuntime, SwitchCore } from '../core/switch-core.ts';
import type { TimerHandle } from '../core/timer-queue.ts';
import { type DialogRoute, dialogRouteOf, inDialogTarget, type InDialogTarget } from './dialog-route.ts';
import { type SipMessage, buildSip, hdr, sipToCause, tagOf } from './sip-message.ts';
import type { SipPeer, SipSend } from './sip-uas.ts';
import { localSdp } from './sip-vars.ts';

interface UacDialog {
  rt: ChannelRuntime;
  cb: DialCallbacks;
  callId: string;
  fromTag: string;
  toHeader: string;
  uri: string;
  peer: SipPeer;
  branch: string;
  cseq: number;
  answered: boolean;
  gotResponse: boolean;
  /** A final response to the INVITE arrived (and was ACKed). */
  finalSeen: boolean;
  ended: boolean;
  retransmit: TimerHandle | undefined;
  invite: Buffer;
  /** Route set (2xx Record-Route reversed) and remote target (2xx Contact), once answered. */
  route: DialogRoute | undefined;
}

const rnd = (): string => randomBytes(6).toString('base64url');

/**
 * mod_sofia's outbound side: `originate sofia/internal/<user>@<host>:<port>` (or a bridge)
 * sends INVITE; 18x → progress, 200 → ACK + answer, 4xx-6xx → ACK + failure cause
 * (486 USER_BUSY, 603 CALL_REJECTED, 404 UNALLOCATED_NUMBER, 480 NO_USER_RESPONSE);
 * hangup before answer sends CANCEL (NO_ANSWER on originate timeout), after answer BYE.
 */
export class SipUac {
  private readonly dialogs = new Map<string, UacDialog>();

  constructor(
    private readonly sw: SwitchCore,
    private readonly send: SipSend,
    private readonly local: SipPeer,
  ) {}

  owns(callId: string): boolean {
    return this.dialogs.has(callId);
  }

  /** The `sofia` endpoint for originate/bridge. */
  endpoint(): Endpoint {
    return {
      channelName: (target) => `sofia/${target}`,
      dial: (rt, target, cb) => this.dial(rt, target, cb),
    };
  }

  private dial(rt: ChannelRuntime, target: string, cb: DialCallbacks): DialHandle {
    const slash = target.indexOf('/');
    const uriPart = slash >= 0 ? target.slice(slash + 1) : target;
    const uri = uriPart.startsWith('sip:') ? uriPart : `sip:${uriPart}`;
    const hp = /@([^:;>]+)(?::(\d+))?/.exec(uri);
    const peer: SipPeer = { host: hp?.[1] ?? '127.0.0.1', port: Number(hp?.[2] ?? 5060) };
    const ch = rt.ch;
    const callId = randomUUID();
    const d: UacDialog = {
      rt,
      cb,
      callId,
      fromTag: rnd(),
      toHeader: `<${uri}>`,
      uri,
      peer,
      branch: `z9hG4bK${rnd()}`,
      cseq: 1,
      answered: false,
      gotResponse: false,
      finalSeen: false,
      ended: false,
      retransmit: undefined,
      invite: Buffer.alloc(0),
      route: undefined,
    };
    this.dialogs.set(callId, d);
    rt.onDestroy.push(() => {
      // keep a cancelled dialog a little longer so the 487 still gets its ACK (RFC 3261 timer D)
      if (d.finalSeen) this.dialogs.delete(callId);
      else this.sw.timers.after(5000, () => this.dialogs.delete(callId));
    });
    const user = /sip:([^@]+)@/.exec(uri)?.[1] ?? '';
    ch.setVar('sip_req_uri', uri.replace(/^sip:/, ''));
    ch.setVar('sip_to_host', `${peer.host}:${peer.port}`);
    ch.setVar('sip_from_host', this.local.host);
    ch.setVar('sip_call_id', callId);
    ch.setVar('sip_to_user', user);
    const sdp = localSdp(this.local.host, 16384 + (Date.now() % 8000) * 2, Date.now() % 1e9);
    d.invite = buildSip(`INVITE ${uri} SIP/2.0`, [
      ['Via', `SIP/2.0/UDP ${this.local.host}:${this.local.port};rport;branch=${d.branch}`],
      ['Max-Forwards', '70'],
      ['From', `"${ch.profile.callerIdName}" <sip:${ch.profile.callerIdNumber}@${this.local.host}>;tag=${d.fromTag}`],
      ['To', d.toHeader],
      ['Call-ID', callId],
      ['CSeq', `${d.cseq} INVITE`],
      ['Contact', `<sip:mod_sofia@${this.local.host}:${this.local.port}>`],
      ['User-Agent', 'FreeSWITCH-mod_sofia/1.10.12-release~64bit'],
      ['Allow', 'INVITE, ACK, BYE, CANCEL, OPTIONS, MESSAGE, INFO, UPDATE, REFER, NOTIFY'],
      ['Content-Type', 'application/sdp'],
    ], sdp);
    this.send(d.invite, peer);
    this.scheduleRetransmit(d, 500);
    this.probe(d);
    return { hangup: (cause) => this.localHangup(d, cause) };
  }

  /**
   * sofia-sip sees the ICMP port-unreachable for a dead peer and fails the INVITE with an
   * internal 503 at once. Our shared socket is unconnected (no ICMP errors), so a connected
   * probe socket sends a CRLF keep-alive (RFC 5626, ignored by SIP peers) to find out.
   */
  private probe(d: UacDialog): void {
    const sock = createSocket('udp4');
    let closed = false;
    const done = (): void => {
      if (closed) return;
      closed = true;
      sock.close();
    };
    const ping = (next: () => void): void => {
      if (!closed) sock.send('\r\n\r\n', next);
    };
    sock.on('error', (err: NodeJS.ErrnoException) => {
      done();
      if (err.code !== 'ECONNREFUSED' || d.gotResponse || d.ended) return;
      this.end(d);
      this.sw.runtime(d.rt.ch.uuid) &&
        d.cb.fail('NORMAL_TEMPORARY_FAILURE', [
          ['sip_hangup_disposition', 'recv_refuse'],
          ['sip_invite_failure_status', '503'],
          ['sip_invite_failure_phrase', 'Service Unavailable'],
          ['sip_term_status', '503'],
          ['proto_specific_hangup_cause', 'sip:503'],
          ['sip_term_cause', '41'],
        ]);
    });
    sock.connect(d.peer.port, d.peer.host, () => {
      // a second send surfaces the ICMP error of the first on Linux
      ping(() => setTimeout(() => ping(() => setTimeout(done, 100)), 20));
    });
  }

  /** RFC 3261 timer A: resend the INVITE until any response; give up (timer B) as unreachable. */
  private scheduleRetransmit(d: UacDialog, ms: number): void {
    d.retransmit = this.sw.timers.after(ms, () => {
      if (d.gotResponse || d.ended) return;
      if (ms >= 4000) {
        this.end(d);
        d.cb.fail('NORMAL_TEMPORARY_FAILURE', [['sip_hangup_disposition', 'send_refuse']]);
        return;
      }
      this.send(d.invite, d.peer);
      this.scheduleRetransmit(d, ms * 2);
    });
  }

  private end(d: UacDialog): void {
    d.ended = true;
    d.retransmit?.cancel();
  }

  onResponse(msg: SipMessage): void {
    const d = this.dialogs.get(hdr(msg, 'call-id') ?? '');
    if (!d || msg.status === undefined) return;
    const cseq = hdr(msg, 'cseq') ?? '';
    if (!cseq.endsWith('INVITE')) return;
    const ch = d.rt.ch;
    if (!d.gotResponse) {
      // the far end's address is known from its first response
      ch.profile.networkAddr = d.peer.host;
      ch.setVar('sip_network_ip', d.peer.host);
    }
    d.gotResponse = true;
    d.retransmit?.cancel();
    const code = msg.status;
    if (code < 200) {
      if (code >= 180 && !d.answered) d.cb.progress();
      return;
    }
    d.toHeader = hdr(msg, 'to') ?? d.toHeader;
    // the first 2xx fixes the dialog's route set and remote target (§12.1.2)
    if (code < 300 && !d.route) d.route = dialogRouteOf(msg, 'uac', d.uri);
    d.finalSeen = true;
    this.ack(d, msg);
    if (d.ended && this.sw.runtime(d.rt.ch.uuid) === undefined) this.dialogs.delete(d.callId);
    if (d.ended) return;
    if (code < 300) {
      if (d.answered) return;
      d.answered = true;
      ch.setVar('sip_to_tag', tagOf(d.toHeader) ?? '');
      // after the 200 mod_sofia re-reads To: host and port become separate variables
      ch.setVar('sip_to_host', d.peer.host);
      ch.setVar('sip_network_ip', d.peer.host);
      ch.setVar('sip_to_port', String(d.peer.port));
      d.cb.answer();
      return;
    }
    this.end(d);
    const cause = sipToCause(code);
    d.cb.fail(cause, [
      ['sip_term_status', String(code)],
      ['proto_specific_hangup_cause', `sip:${code}`],
      ['sip_term_cause', String(Q850[cause] ?? 0)],
      ['sip_invite_failure_status', String(code)],
      ['sip_hangup_disposition', 'recv_refuse'],
    ]);
  }

  /** A request inside one of our dialogs (BYE from the far end, INFO...). */
  onRequest(msg: SipMessage, peer: SipPeer): void {
    const d = this.dialogs.get(hdr(msg, 'call-id') ?? '');
    if (!d) return;
    if (msg.method === 'ACK') return;
    this.send(
      buildSip('SIP/2.0 200 OK', [
        ...(msg.headers.get('via') ?? []).map((v): [string, string] => ['Via', v]),
        ['From', hdr(msg, 'from') ?? ''],
        ['To', hdr(msg, 'to') ?? ''],
        ['Call-ID', d.callId],
        ['CSeq', hdr(msg, 'cseq') ?? ''],
      ]),
      peer,
    );
    if (msg.method === 'BYE' && !d.ended) {
      this.end(d);
      d.cb.remoteHangup('NORMAL_CLEARING', [
        ['sip_term_status', '200'],
        ['proto_specific_hangup_cause', 'sip:200'],
        ['sip_hangup_disposition', 'recv_bye'],
      ]);
    }
  }

  /** Where in-dialog requests go: along the route set, or like the INVITE before there is one. */
  private target(d: UacDialog): InDialogTarget {
    return d.route ? inDialogTarget(d.route, d.peer) : { requestUri: d.uri, routes: [], peer: d.peer };
  }

  /** ACK: for a 2xx a new in-dialog request (route set); for an error the INVITE's transaction. */
  private ack(d: UacDialog, resp: SipMessage): void {
    const ok = (resp.status ?? 0) < 300;
    const next = ok ? this.target(d) : { requestUri: d.uri, routes: [], peer: d.peer };
    this.send(
      buildSip(`ACK ${next.requestUri} SIP/2.0`, [
        ['Via', `SIP/2.0/UDP ${this.local.host}:${this.local.port};rport;branch=${ok ? `z9hG4bK${rnd()}` : d.branch}`],
        ['Max-Forwards', '70'],
        ...next.routes.map((r): [string, string] => ['Route', r]),
        ['From', `<sip:${d.rt.ch.profile.callerIdNumber}@${this.local.host}>;tag=${d.fromTag}`],
        ['To', d.toHeader],
        ['Call-ID', d.callId],
        ['CSeq', `1 ACK`],
      ]),
      next.peer,
    );
  }

  private localHangup(d: UacDialog, cause: string): void {
    if (d.ended) return;
    this.end(d);
    const ch = d.rt.ch;
    const reason = `Q.850;cause=${Q850[cause] ?? 16};text="${cause}"`;
    if (d.answered) {
      ch.setVar('sip_hangup_disposition', 'send_bye');
      d.cseq++;
      const next = this.target(d);
      this.send(
        buildSip(`BYE ${next.requestUri} SIP/2.0`, [
          ['Via', `SIP/2.0/UDP ${this.local.host}:${this.local.port};rport;branch=z9hG4bK${rnd()}`],
          ['Max-Forwards', '70'],
          ...next.routes.map((r): [string, string] => ['Route', r]),
          ['From', `<sip:${ch.profile.callerIdNumber}@${this.local.host}>;tag=${d.fromTag}`],
          ['To', d.toHeader],
          ['Call-ID', d.callId],
          ['CSeq', `${d.cseq} BYE`],
          ['Reason', reason],
        ]),
        next.peer,
      );
      return;
    }
    ch.setVar('sip_hangup_disposition', 'send_cancel');
    ch.setVar('sip_invite_failure_status', '487');
    this.send(
      buildSip(`CANCEL ${d.uri} SIP/2.0`, [
        ['Via', `SIP/2.0/UDP ${this.local.host}:${this.local.port};rport;branch=${d.branch}`],
        ['Max-Forwards', '70'],
        ['From', `"${ch.profile.callerIdName}" <sip:${ch.profile.callerIdNumber}@${this.local.host}>;tag=${d.fromTag}`],
        ['To', d.toHeader],
        ['Call-ID', d.callId],
        ['CSeq', `1 CANCEL`],
        ['Reason', reason],
      ]),
      d.peer,
    );
  }
}
