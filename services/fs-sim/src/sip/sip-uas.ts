import { randomBytes } from 'node:crypto';
import type { Channel } from '../core/channel.ts';
import type { ChannelRuntime, ChannelTransport, SwitchCore } from '../core/switch-core.ts';
import { Q850 } from '../core/hangup-vars.ts';
import { type SipMessage, buildSip, causeToSip, displayOf, hdr, hostPortOf, REASONS, tagOf, userOf } from './sip-message.ts';
import { type DialogRoute, dialogRouteOf, inDialogTarget, recordRoutes, uriOf } from './dialog-route.ts';
import { inboundSipVars, localSdp } from './sip-vars.ts';

/** Where to send a datagram. */
export interface SipPeer {
  host: string;
  port: number;
}

/** Sends a datagram (the SIP server's UDP socket). */
export type SipSend = (buf: Buffer, peer: SipPeer) => void;

interface UasDialog {
  invite: SipMessage;
  peer: SipPeer;
  toTag: string;
  rt: ChannelRuntime | undefined;
  lastResponse: Buffer | undefined;
  final: boolean;
  localCseq: number;
  mediaPort: number;
  /** Route set (INVITE's Record-Route in order) and remote target (its Contact). */
  route: DialogRoute;
}

const tag = (): string => randomBytes(6).toString('base64url');

/**
 * mod_sofia's inbound side for one profile: INVITE (100, 180/183, 200 + SDP), ACK, BYE both
 * ways, CANCEL (487), INFO dtmf-relay → RECV_INFO + DTMF, and 503 at max sessions.
 */
export class SipUas {
  private readonly dialogs = new Map<string, UasDialog>();
  private mediaPort = 16384;

  constructor(
    private readonly sw: SwitchCore,
    private readonly send: SipSend,
    private readonly local: SipPeer,
  ) {}

  get dialogCount(): number {
    return this.dialogs.size;
  }

  /** Handle a request that is not for a UAC dialog. */
  onRequest(msg: SipMessage, peer: SipPeer): void {
    const callId = hdr(msg, 'call-id') ?? '';
    const d = this.dialogs.get(callId);
    switch (msg.method) {
      case 'INVITE':
        if (d) {
          if (d.lastResponse) this.send(d.lastResponse, d.peer);
        } else this.invite(msg, peer, callId);
        return;
      case 'ACK':
        return;
      case 'BYE':
        this.respond(msg, peer, 200, d?.toTag);
        if (d?.rt) this.remoteBye(d.rt.ch);
        return;
      case 'CANCEL':
        this.respond(msg, peer, d ? 200 : 481, d?.toTag);
        if (d && !d.final && d.rt) {
          this.finalResponse(d, 487);
          this.sw.hangup(d.rt.ch, 'ORIGINATOR_CANCEL', { fromTransport: true, disposition: 'recv_cancel' });
        }
        return;
      case 'INFO':
        this.respond(msg, peer, d ? 200 : 481, d?.toTag);
        if (d?.rt) this.info(d.rt.ch, msg, peer);
        return;
      case 'OPTIONS':
        this.respond(msg, peer, 200, tag(), [
          ['Allow', 'INVITE, ACK, BYE, CANCEL, OPTIONS, MESSAGE, INFO, UPDATE, REGISTER, REFER, NOTIFY'],
          ['Accept', 'application/sdp'],
        ]);
        return;
      default:
        this.respond(msg, peer, d ? 200 : 501, d?.toTag);
    }
  }

  private invite(msg: SipMessage, peer: SipPeer, callId: string): void {
    const d: UasDialog = {
      invite: msg,
      peer,
      toTag: tag(),
      rt: undefined,
      lastResponse: undefined,
      final: false,
      localCseq: 1,
      mediaPort: this.nextMediaPort(),
      // without a Contact the From URI is the best remote target there is
      route: dialogRouteOf(msg, 'uas', uriOf(hdr(msg, 'from') ?? '')),
    };
    if (this.sw.sessionCount >= this.sw.opts.maxSessions || this.sw.paused) {
      this.respond(msg, peer, 503, d.toTag, [['Reason', 'Q.850;cause=42;text="SWITCH_CONGESTION"']]);
      return;
    }
    this.dialogs.set(callId, d);
    this.respond(msg, peer, 100);
    const from = hdr(msg, 'from');
    const fromUser = userOf(from);
    const toUser = userOf(msg.uri);
    const display = displayOf(from) || fromUser;
    const sdp = msg.body;
    const remoteMediaPort = Number(/m=audio (\d+)/.exec(sdp)?.[1] ?? 0);
    const vars = inboundSipVars({
      fromUser,
      fromHost: peer.host,
      fromPort: peer.port,
      fromDisplay: display,
      toUser,
      localHost: this.local.host,
      localPort: this.local.port,
      callId,
      fromTag: tagOf(from) ?? '',
      toTag: d.toTag,
      via: hdr(msg, 'via') ?? '',
      subject: hdr(msg, 'subject'),
      remoteSdp: sdp || undefined,
      remoteMediaPort,
      localMediaPort: d.mediaPort,
    });
    const transport: ChannelTransport = {
      ring: () => this.provisional(d, 180),
      preAnswer: () => this.provisional(d, 183, true),
      answer: () => this.finalResponse(d, 200),
      hangup: (ch, cause) => this.localHangup(d, ch, cause),
    };
    const rt = this.sw.createChannel({
      name: `sofia/internal/${fromUser}@${peer.host}:${peer.port}`,
      direction: 'inbound',
      profile: {
        username: fromUser,
        dialplan: 'XML',
        callerIdName: display,
        callerIdNumber: fromUser,
        origCallerIdName: display,
        origCallerIdNumber: fromUser,
        networkAddr: peer.host,
        ani: fromUser,
        destinationNumber: toUser,
        source: 'mod_sofia',
        context: 'public',
        profileIndex: 1,
      },
      vars,
      transport,
    });
    if (!rt) {
      this.dialogs.delete(callId);
      this.respond(msg, peer, 503, d.toTag);
      return;
    }
    d.rt = rt;
    rt.onDestroy.push(() => this.dialogs.delete(callId));
    this.sw.route(rt);
  }

  private nextMediaPort(): number {
    this.mediaPort = this.mediaPort >= 32766 ? 16384 : this.mediaPort + 2;
    return this.mediaPort;
  }

  private provisional(d: UasDialog, code: number, withSdp = false): void {
    if (d.final) return;
    const body = withSdp ? localSdp(this.local.host, d.mediaPort, Date.now() % 1e9) : '';
    this.respond(d.invite, d.peer, code, d.toTag, withSdp ? [['Content-Type', 'application/sdp']] : [], body);
  }

  private finalResponse(d: UasDialog, code: number, extra: Array<[string, string]> = []): void {
    if (d.final) return;
    d.final = true;
    const sdp = code === 200 ? localSdp(this.local.host, d.mediaPort, Date.now() % 1e9) : '';
    const buf = this.respond(d.invite, d.peer, code, d.toTag, code === 200 ? [['Content-Type', 'application/sdp'], ...extra] : extra, sdp);
    d.lastResponse = buf;
  }

  /** The switch hung up: BYE if answered, else a final error with a Q.850 Reason. */
  private localHangup(d: UasDialog, ch: Channel, cause: string): void {
    if (d.final) {
      ch.setVar('sip_hangup_disposition', 'send_bye');
      this.sendBye(d);
      return;
    }
    const code = causeToSip(cause);
    ch.setVar('sip_hangup_disposition', 'send_refuse');
    ch.setVar('sip_term_status', String(code));
    this.finalResponse(d, code, [['Reason', `Q.850;cause=${Q850[cause] ?? 16};text="${cause}"`]]);
  }

  /** BYE along the dialog's route set to its remote target (RFC 3261 §12.2.1.1). */
  private sendBye(d: UasDialog): void {
    const inv = d.invite;
    const next = inDialogTarget(d.route, d.peer);
    const branch = `z9hG4bK${tag()}`;
    d.localCseq++;
    this.send(
      buildSip(`BYE ${next.requestUri} SIP/2.0`, [
        ['Via', `SIP/2.0/UDP ${this.local.host}:${this.local.port};rport;branch=${branch}`],
        ['Max-Forwards', '70'],
        ...next.routes.map((r): [string, string] => ['Route', r]),
        ['From', `${hdr(inv, 'to') ?? ''};tag=${d.toTag}`],
        ['To', hdr(inv, 'from') ?? ''],
        ['Call-ID', hdr(inv, 'call-id') ?? ''],
        ['CSeq', `${d.localCseq} BYE`],
        ['User-Agent', 'FreeSWITCH-mod_sofia/1.10.12-release~64bit'],
        ['Reason', 'Q.850;cause=16;text="NORMAL_CLEARING"'],
      ]),
      next.peer,
    );
  }

  private remoteBye(ch: Channel): void {
    ch.setVar('sip_hangup_disposition', 'recv_bye');
    ch.setVar('sip_term_status', '200');
    ch.setVar('proto_specific_hangup_cause', 'sip:200');
    this.sw.hangup(ch, 'NORMAL_CLEARING', { fromTransport: true });
  }

  private info(ch: Channel, msg: SipMessage, _peer: SipPeer): void {
    const ct = (hdr(msg, 'content-type') ?? '').toLowerCase();
    const from = hdr(msg, 'from');
    this.sw.emitChannel('RECV_INFO', ch, {
      vars: false,
      pre: [
        ['SIP-Content-Type', ct],
        ['SIP-From-User', userOf(from)],
        ['SIP-From-Host', hostPortOf(from).host],
        ['SIP-To-User', userOf(hdr(msg, 'to'))],
        ['SIP-To-Host', hostPortOf(hdr(msg, 'to')).host],
        ['SIP-Contact-User', userOf(hdr(msg, 'contact'))],
        ['SIP-Contact-Host', hostPortOf(hdr(msg, 'contact')).host],
      ],
      body: msg.body,
    });
    if (ct.startsWith('application/dtmf-relay') || ct.startsWith('application/dtmf')) {
      const sig = /Signal\s*=\s*([0-9A-D*#])/i.exec(msg.body)?.[1];
      if (sig) this.sw.dtmf(ch, sig.toUpperCase(), 'ENDPOINT');
    }
  }

  /** Build, send and return a response to `req`. */
  private respond(req: SipMessage, peer: SipPeer, code: number, toTag?: string, extra: Array<[string, string]> = [], body = ''): Buffer {
    const to = hdr(req, 'to') ?? '';
    const headers: Array<[string, string]> = [];
    for (const v of req.headers.get('via') ?? []) headers.push(['Via', v]);
    // dialog-creating responses echo Record-Route so the proxy stays on the path (§12.1.1)
    if (req.method === 'INVITE' && code > 100 && code < 300) for (const rr of recordRoutes(req)) headers.push(['Record-Route', rr]);
    headers.push(
      ['From', hdr(req, 'from') ?? ''],
      ['To', toTag && !tagOf(to) && code > 100 ? `${to};tag=${toTag}` : to],
      ['Call-ID', hdr(req, 'call-id') ?? ''],
      ['CSeq', hdr(req, 'cseq') ?? ''],
    );
    if (code >= 180 && code < 300) headers.push(['Contact', `<sip:mod_sofia@${this.local.host}:${this.local.port}>`]);
    headers.push(['User-Agent', 'FreeSWITCH-mod_sofia/1.10.12-release~64bit'], ...extra);
    const buf = buildSip(`SIP/2.0 ${code} ${REASONS[code] ?? 'Unknown'}`, headers, body);
    this.send(buf, peer);
    return buf;
  }
}
