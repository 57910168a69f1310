/** What an inbound call looked like on the wire, for the variables mod_sofia sets. */
export interface InboundCallInfo {
  fromUser: string;
  fromHost: string;
  fromPort: number;
  fromDisplay: string;
  toUser: string;
  localHost: string;
  localPort: number;
  callId: string;
  fromTag: string;
  toTag: string;
  via: string;
  subject?: string;
  remoteSdp?: string;
  remoteMediaPort?: number;
  localMediaPort: number;
}

/** The caller-side channel variables mod_sofia sets on an inbound INVITE, in its order. */
export function inboundSipVars(c: InboundCallInfo): Array<[string, string]> {
  const from = `${c.fromUser}@${c.fromHost}:${c.fromPort}`;
  const to = `${c.toUser}@${c.localHost}:${c.localPort}`;
  const v: Array<[string, string]> = [
    ['sip_from_user', c.fromUser],
    ['sip_from_port', String(c.fromPort)],
    ['sip_from_uri', from],
    ['sip_from_host', c.fromHost],
    ['video_media_flow', 'disabled'],
    ['text_media_flow', 'disabled'],
    ['sip_local_network_addr', c.localHost],
    ['sip_network_ip', c.fromHost],
    ['sip_network_port', String(c.fromPort)],
    ['sip_invite_stamp', `${Date.now()}000`],
    ['sip_received_ip', c.fromHost],
    ['sip_received_port', String(c.fromPort)],
    ['sip_via_protocol', 'udp'],
    ['sip_from_user_stripped', c.fromUser],
    ['sofia_profile_name', 'internal'],
    ['sofia_profile_url', `sip:mod_sofia@${c.localHost}:${c.localPort}`],
    ['recovery_profile_name', 'internal'],
    ['sip_req_user', c.toUser],
    ['sip_req_port', String(c.localPort)],
    ['sip_req_uri', to],
    ['sip_req_host', c.localHost],
    ['sip_to_user', c.toUser],
    ['sip_to_port', String(c.localPort)],
    ['sip_to_uri', to],
    ['sip_to_host', c.localHost],
    ['sip_contact_user', c.fromUser],
    ['sip_contact_port', String(c.fromPort)],
    ['sip_contact_uri', from],
    ['sip_contact_host', c.fromHost],
  ];
  if (c.subject) v.push(['sip_subject', c.subject]);
  v.push(['sip_via_host', c.fromHost], ['sip_via_port', String(c.fromPort)], ['max_forwards', '70']);
  if (c.remoteSdp) v.push(['switch_r_sdp', c.remoteSdp]);
  v.push(
    ['ep_codec_string', 'CORE_PCM_MODULE.PCMU@8000h@20i@64000b,CORE_PCM_MODULE.PCMA@8000h@20i@64000b'],
    ['rtp_use_codec_string', 'PCMU,PCMA'],
    ['remote_video_media_flow', 'inactive'],
    ['remote_text_media_flow', 'inactive'],
    ['remote_audio_media_flow', 'sendrecv'],
    ['audio_media_flow', 'sendrecv'],
    ['rtp_audio_recv_pt', '0'],
    ['rtp_use_codec_name', 'PCMU'],
    ['rtp_use_codec_rate', '8000'],
    ['rtp_use_codec_ptime', '20'],
    ['rtp_use_codec_channels', '1'],
    ['rtp_last_audio_codec_string', 'PCMU@8000h@20i@1c'],
    ['read_codec', 'PCMU'],
    ['original_read_codec', 'PCMU'],
    ['read_rate', '8000'],
    ['original_read_rate', '8000'],
    ['write_codec', 'PCMU'],
    ['write_rate', '8000'],
    ['dtmf_type', 'rfc2833'],
    ['local_media_ip', c.localHost],
    ['local_media_port', String(c.localMediaPort)],
    ['advertised_media_ip', c.localHost],
    ['rtp_use_timer_name', 'soft'],
    ['rtp_use_pt', '0'],
    ['rtp_2833_send_payload', '101'],
    ['rtp_2833_recv_payload', '101'],
    ['remote_media_ip', c.fromHost],
    ['remote_media_port', String(c.remoteMediaPort ?? 0)],
    ['sip_to_tag', c.toTag],
    ['sip_from_tag', c.fromTag],
    ['sip_cseq', '1'],
    ['sip_call_id', c.callId],
    ['sip_full_via', c.via],
    ['sip_from_display', c.fromDisplay],
    ['sip_full_from', `"${c.fromDisplay}" <sip:${from}>;tag=${c.fromTag}`],
    ['sip_full_to', `<sip:${to}>;tag=${c.toTag}`],
  );
  return v;
}

/** Our SDP answer/offer: PCMU + telephone-event, like the capture node. */
export function localSdp(host: string, mediaPort: number, sessionId: number): string {
  return (
    'v=0\r\n' +
    `o=FreeSWITCH ${sessionId} ${sessionId + 1} IN IP4 ${host}\r\n` +
    's=FreeSWITCH\r\n' +
    `c=IN IP4 ${host}\r\n` +
    't=0 0\r\n' +
    `m=audio ${mediaPort} RTP/AVP 0 101\r\n` +
    'a=rtpmap:0 PCMU/8000\r\n' +
    'a=rtpmap:101 telephone-event/8000\r\n' +
    'a=fmtp:101 0-15\r\n' +
    'a=ptime:20\r\n' +
    'a=sendrecv\r\n'
  );
}
