import type { EslEvent } from '../esl/esl-event.ts';

/**
 * A channel the dialer originated and parked for us (`originate {sy_flow_id=…,…}… &park()`).
 * Its flow comes from the campaign, not from DID routing; its call-log row belongs to the
 * dialer (leg.created / leg.answered / leg.hungup), the engine adds steps only.
 */
export interface DialerLeg {
  readonly flowId: string;
  readonly campaignId: string;
  readonly contactId: string;
  readonly attemptId: string;
  /** The contact's number (E.164). */
  readonly phone: string;
  /** The campaign's caller id. */
  readonly callerId: string;
  /** Epoch ms the dialer started the leg: with the leg id, the call_legs key. */
  readonly startedAt: number;
}

/**
 * Call-log seq the engine's events start at on a dialer leg: the dialer uses 0..2
 * (created, answered, hungup), so the engine's steps never share a number with them.
 */
export const DIALER_LEG_FIRST_SEQ = 3;

/** The flow variables a dialer leg's flow starts with (`{{campaign_id}}` in the sample flow). */
export function dialerLegVars(d: DialerLeg): Record<string, string> {
  return { campaign_id: d.campaignId, contact_id: d.contactId, attempt_id: d.attemptId };
}

/**
 * Reads the dialer's channel variables off a CHANNEL_PARK; `undefined` when the channel is
 * not a dialer leg (no `sy_flow_id`) or a field is malformed. Pure, never throws.
 */
export function dialerLegFromEvent(ev: EslEvent): DialerLeg | undefined {
  const flowId = ev.get('variable_sy_flow_id');
  if (!flowId) return undefined;
  const startedAt = Number(ev.get('variable_sy_leg_started_at'));
  const campaignId = ev.get('variable_sy_campaign_id') ?? '';
  const contactId = ev.get('variable_sy_contact_id') ?? '';
  const attemptId = ev.get('variable_sy_attempt_id') ?? '';
  if (!Number.isSafeInteger(startedAt) || startedAt <= 0 || !/^\d+$/.test(campaignId) || !/^\d+$/.test(contactId) || !/^\d+$/.test(attemptId)) return undefined;
  return {
    flowId,
    campaignId,
    contactId,
    attemptId,
    phone: ev.get('variable_sy_phone') ?? ev.get('Caller-Destination-Number') ?? '',
    callerId: ev.get('variable_origination_caller_id_number') ?? '',
    startedAt,
  };
}
