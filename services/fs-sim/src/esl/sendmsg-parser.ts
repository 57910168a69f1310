import type { EslFrame } from '@switchyard/esl';
import type { Header } from '../core/event.ts';
import type { SendMsg } from '../core/executor.ts';

/**
 * Turn a `sendmsg` frame into a SendMsg (switch_ivr_parse_event): execute-app-arg or a
 * text/plain body, loops, event-lock, Event-UUID, hangup-cause. Header names are matched
 * case-insensitively like FreeSWITCH; the original headers are kept for PRIVATE_COMMAND.
 */
export function parseSendMsg(frame: EslFrame, commandLine: string): SendMsg {
  const raw = frame.commandHeaders();
  const headers: Header[] = [];
  const lower = new Map<string, string>();
  for (const [k, v] of Object.entries(raw)) {
    headers.push([k, v]);
    lower.set(k.toLowerCase(), v);
  }
  const body = frame.bodyEnd > frame.bodyStart ? frame.bodyText() : undefined;
  const ct = lower.get('content-type');
  let appArg = lower.get('execute-app-arg');
  if (body !== undefined && (ct === undefined || ct.startsWith('text/plain'))) appArg = body;
  const loopsRaw = Number.parseInt(lower.get('loops') ?? '1', 10);
  const isTrue = (v: string | undefined): boolean => v === 'true' || v === '1' || v === 'yes';
  return {
    headers,
    command: (lower.get('call-command') ?? '').toLowerCase(),
    appName: lower.get('execute-app-name'),
    appArg,
    loops: Number.isFinite(loopsRaw) && loopsRaw !== 0 ? loopsRaw : 1,
    eventLock: isTrue(lower.get('event-lock')),
    eventUuid: lower.get('event-uuid'),
    hangupCause: lower.get('hangup-cause'),
    commandLine,
    body,
  };
}

/** True when the message asks to be queued even on a sync socket (`async: true`). */
export function wantsAsync(msg: SendMsg): boolean {
  return msg.headers.some(([k, v]) => k.toLowerCase() === 'async' && (v === 'true' || v === '1'));
}
