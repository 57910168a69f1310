/** Events `myevents` subscribes to (mod_event_socket.c, MES:2063-2134). */
export const MYEVENTS: ReadonlySet<string> = new Set([
  'CHANNEL_ANSWER',
  'CHANNEL_APPLICATION',
  'CHANNEL_BRIDGE',
  'CHANNEL_CREATE',
  'CHANNEL_DATA',
  'CHANNEL_DESTROY',
  'CHANNEL_EXECUTE',
  'CHANNEL_EXECUTE_COMPLETE',
  'CHANNEL_HANGUP',
  'CHANNEL_HANGUP_COMPLETE',
  'CHANNEL_ORIGINATE',
  'CHANNEL_UUID',
  'CHANNEL_OUTGOING',
  'CHANNEL_PARK',
  'CHANNEL_PROGRESS',
  'CHANNEL_PROGRESS_MEDIA',
  'CHANNEL_STATE',
  'CHANNEL_UNBRIDGE',
  'CHANNEL_UNPARK',
  'DETECTED_SPEECH',
  'DTMF',
  'TALK',
  'NOTALK',
  'BACKGROUND_JOB',
]);

/** Commands a non-`full` outbound socket may use (MES:2236 gate). */
export const OUTBOUND_BASIC: ReadonlySet<string> = new Set([
  'connect',
  'getvar',
  'myevents',
  'resume',
  'filter',
  'divert_events',
  'sendmsg',
  'exit',
]);

/** The goodbye text FreeSWITCH sends in every disconnect notice. */
export const GOODBYE = 'Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n';
