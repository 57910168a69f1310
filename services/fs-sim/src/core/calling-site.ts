/**
 * Event-Calling-File/Function/Line-Number for each event, as real FreeSWITCH 1.10.12 reports them
 * (taken from the captures, so clients that log or match on them see the same values).
 */
export const CALLING_SITE: Readonly<Record<string, readonly [string, string, number]>> = {
  API: ['switch_loadable_module.c', 'switch_api_execute', 2954],
  BACKGROUND_JOB: ['mod_event_socket.c', 'api_exec', 1572],
  CALL_UPDATE: ['mod_sofia.c', 'sofia_receive_message', 2100],
  CHANNEL_ANSWER: ['switch_channel.c', 'switch_channel_perform_mark_answered', 3846],
  CHANNEL_BRIDGE: ['switch_ivr_bridge.c', 'switch_ivr_multi_threaded_bridge', 1689],
  CHANNEL_CALLSTATE: ['switch_channel.c', 'switch_channel_perform_set_callstate', 301],
  CHANNEL_CREATE: ['switch_core_state_machine.c', 'switch_core_session_run', 626],
  CHANNEL_DATA: ['mod_event_socket.c', 'parse_command', 2021],
  CHANNEL_DESTROY: ['switch_core_session.c', 'switch_core_session_perform_destroy', 1584],
  CHANNEL_EXECUTE: ['switch_core_session.c', 'switch_core_session_exec', 2944],
  CHANNEL_EXECUTE_COMPLETE: ['switch_core_session.c', 'switch_core_session_exec', 2967],
  CHANNEL_HANGUP: ['switch_channel.c', 'switch_channel_perform_hangup', 3445],
  CHANNEL_HANGUP_COMPLETE: ['switch_core_state_machine.c', 'switch_core_session_reporting_state', 943],
  CHANNEL_ORIGINATE: ['switch_core_state_machine.c', 'switch_core_session_run', 632],
  CHANNEL_OUTGOING: ['switch_core_session.c', 'switch_core_session_outgoing_channel', 768],
  CHANNEL_PARK: ['switch_ivr.c', 'switch_ivr_park', 1002],
  CHANNEL_PROGRESS: ['switch_channel.c', 'switch_channel_perform_mark_ring_ready_value', 3505],
  CHANNEL_PROGRESS_MEDIA: ['switch_channel.c', 'switch_channel_perform_mark_pre_answered', 3662],
  CHANNEL_STATE: ['switch_channel.c', 'switch_channel_perform_set_running_state', 2408],
  CHANNEL_UNBRIDGE: ['switch_ivr_bridge.c', 'switch_ivr_multi_threaded_bridge', 1879],
  CHANNEL_UNPARK: ['switch_ivr.c', 'switch_ivr_park', 1213],
  CODEC: ['switch_core_codec.c', 'switch_core_session_set_read_codec', 279],
  DTMF: ['switch_channel.c', 'switch_channel_dequeue_dtmf', 677],
  HEARTBEAT: ['switch_core.c', 'send_heartbeat', 95],
  PLAYBACK_START: ['switch_ivr_play_say.c', 'switch_ivr_play_file', 1646],
  PLAYBACK_STOP: ['switch_ivr_play_say.c', 'switch_ivr_play_file', 2020],
  PRIVATE_COMMAND: ['switch_ivr.c', 'switch_ivr_parse_next_event', 804],
  RECV_INFO: ['sofia.c', 'create_info_event', 9721],
  RE_SCHEDULE: ['switch_scheduler.c', 'switch_scheduler_execute', 73],
  CUSTOM: ['switch_event.c', 'switch_event_fire_detailed', 0],
};

