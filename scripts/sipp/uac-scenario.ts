/**
 * A SIPp UAC scenario for one IVR call through Kamailio, a proper UAC behind a
 * record-routing proxy (kamailio-notes trap 6): INVITE; the 200's Record-Route becomes the
 * route set (`rrs`), so ACK, INFO and BYE go to `[next_url]` (the node's Contact) with
 * `[routes]`; each digit as SIP INFO `application/dtmf-relay` after its pause; then it waits
 * for the IVR's BYE (answered 200) or, after `holdMs`, hangs up itself (unless
 * `requireRemoteBye`, when a missing BYE fails the call). Pure: returns the XML text.
 */
export interface UacScenarioOptions {
  /** Digits with the pause before each (ms from the previous step). */
  dtmf: { digit: string; afterMs: number }[];
  /** How long to wait for the far end's BYE after the last digit before sending ours. */
  holdMs: number;
  /** Caller number in From (the call log's `caller`). */
  caller: string;
  /** Fail the call when the far end's BYE has not arrived `holdMs` after the last digit. */
  requireRemoteBye?: boolean;
}

const DIGIT = /^[0-9*#A-D]$/;

function headers(method: string, cseq: number, inDialog: boolean, caller: string): string {
  const ruri = inDialog ? '[next_url]' : 'sip:[service]@[remote_ip]:[remote_port]';
  return [
    `${method} ${ruri} SIP/2.0`,
    'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]',
    `From: <sip:${caller}@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]`,
    `To: <sip:[service]@[remote_ip]:[remote_port]>${inDialog ? '[peer_tag_param]' : ''}`,
    'Call-ID: [call_id]',
    `CSeq: ${cseq} ${method}`,
    // [routes] expands to the whole `Route:` header(s), or to nothing without a route set
    ...(inDialog ? ['[routes]'] : []),
    `Contact: <sip:${caller}@[local_ip]:[local_port]>`,
    'Max-Forwards: 70',
  ].join('\n      ');
}

/** Builds the scenario; throws on a digit SIPp/FreeSWITCH would not carry. */
export function uacScenarioXml(o: UacScenarioOptions): string {
  if (!/^\+?[0-9]{1,20}$/.test(o.caller)) throw new Error(`caller must be digits, got "${o.caller}"`);
  let cseq = 1;
  const parts: string[] = [];
  parts.push(`<send retrans="500"><![CDATA[
      ${headers('INVITE', cseq, false, o.caller)}
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=sipp 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0 101
      a=rtpmap:0 PCMU/8000
      a=rtpmap:101 telephone-event/8000
    ]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="global"/>
  <recv response="183" optional="global"/>
  <recv response="200" rtd="true" rrs="true"/>
  <send><![CDATA[
      ${headers('ACK', cseq, true, o.caller)}
      Content-Length: 0
    ]]></send>`);
  // Every wait is "BYE or timeout": the IVR may hang up at any point (a transfer ends it).
  // SIPp arms a recv's timeout only when it is the current step, so no optional recv
  // stands between an INFO's 200 and the next timed wait; a BYE may cross an INFO.
  for (const [i, d] of o.dtmf.entries()) {
    if (!DIGIT.test(d.digit)) throw new Error(`bad DTMF digit "${d.digit}" (0-9 * # A-D)`);
    cseq++;
    parts.push(`<recv request="BYE" timeout="${Math.max(1, Math.round(d.afterMs))}" ontimeout="d${i}" next="byeok"/>
  <label id="d${i}"/>
  <send retrans="500"><![CDATA[
      ${headers('INFO', cseq, true, o.caller)}
      Content-Type: application/dtmf-relay
      Content-Length: [len]

      Signal=${d.digit}
      Duration=160
    ]]></send>
  <recv request="BYE" optional="true" next="byeok"/>
  <recv response="200"/>`);
  }
  cseq++;
  const hold = Math.max(1, Math.round(o.holdMs));
  parts.push(`<recv request="BYE" timeout="${hold}"${o.requireRemoteBye ? '' : ' ontimeout="hangup"'} next="byeok"/>
  <label id="hangup"/>
  <send retrans="500"><![CDATA[
      ${headers('BYE', cseq, true, o.caller)}
      Content-Length: 0
    ]]></send>
  <recv response="200" next="done"/>
  <label id="byeok"/>
  <send><![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:${o.caller}@[local_ip]:[local_port]>
      Content-Length: 0
    ]]></send>
  <label id="done"/>`);
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="switchyard ivr call">
  ${parts.join('\n  ')}
</scenario>
`;
}
