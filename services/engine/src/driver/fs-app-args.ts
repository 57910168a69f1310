import type { BridgeRequest, BridgeResult, PromptMedia, SayRequest, TransferTarget } from '@switchyard/ivr';
import type { EslEvent } from '../esl/esl-event.ts';

/** One playback argument for several prompts (`file_string://a!b`). */
export function fileString(prompts: readonly PromptMedia[]): string {
  if (prompts.length === 1) return (prompts[0] as PromptMedia).file;
  return `file_string://${prompts.map((p) => p.file).join('!')}`;
}

/** `say` app argument: `<lang> <type> <method> <text>`. */
export function sayArg(req: SayRequest): string {
  if (req.kind === 'number') return `en number pronounced ${req.value}`;
  if (req.kind === 'digits') return `en number iterated ${req.value.replace(/[^\d*#]/g, '')}`;
  const ms = Date.parse(req.value);
  return `en current_date_time pronounced ${Number.isFinite(ms) ? Math.floor(ms / 1000) : 0}`;
}

/** `transfer` app argument: `<extension> XML <context>`. */
export function transferArg(target: Exclude<TransferTarget, { kind: 'flow' }>, context: string): string {
  const ext = target.kind === 'queue' ? `queue-${target.queue}` : target.uri.replace(/^sips?:/, '');
  return `${ext.replace(/\s+/g, '')} XML ${context}`;
}

/** `bridge` dial string with the timeout and caller id as channel variables. */
export function bridgeDialString(req: BridgeRequest): string {
  const vars = [`call_timeout=${Math.max(1, Math.ceil(req.timeoutMs / 1000))}`];
  if (req.callerId) vars.push(`origination_caller_id_number=${req.callerId.replace(/[^\w+.-]/g, '')}`);
  const target = req.target.includes('/') ? req.target : `sofia/external/${req.target.replace(/^sips?:/, '')}`;
  return `{${vars.join(',')}}${target}`;
}

const CAUSE_OUTCOME: Readonly<Record<string, BridgeResult['outcome']>> = {
  USER_BUSY: 'busy',
  NO_ANSWER: 'no-answer',
  NO_USER_RESPONSE: 'no-answer',
  ORIGINATOR_CANCEL: 'no-answer',
  ALLOTTED_TIMEOUT: 'no-answer',
};

/** Reads a finished bridge's outcome from its EXECUTE_COMPLETE variables. */
export function bridgeOutcome(ev: EslEvent): BridgeResult {
  const disp = ev.get('variable_originate_disposition') ?? ev.get('Application-Response') ?? '';
  if (disp === 'SUCCESS' || ev.get('variable_bridge_uuid')) return { outcome: 'answered' };
  const cause = ev.get('variable_bridge_hangup_cause') ?? ev.get('variable_originate_failed_cause') ?? disp;
  const outcome = CAUSE_OUTCOME[cause] ?? 'failed';
  return cause ? { outcome, cause } : { outcome };
}
