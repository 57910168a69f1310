/**
 * Hand-written structural check of a call-log event: the producer's hot path. It accepts a
 * strict subset of what `callLogEventSchema` accepts and returns its wire form — what
 * `JSON.stringify` makes of the schema's output (dates as ISO strings, ids as strings,
 * unknown keys dropped). For anything it is not sure about it returns undefined and the
 * caller asks the zod schema, which stays the single definition of valid.
 */

import { z } from 'zod';
import { CALL_LOG_EVENT_VERSION, type CallLogEventError, ISO_DATE, parseCallLogEvent } from './call-log-event-schema.ts';

// The very pattern `z.string().uuid()` tests, so the two can never disagree.
const UUID = z.regexes.uuid();
const ID_DIGITS = /^\d{1,19}$/;

type Obj = Record<string, unknown>;
/** Sentinel: the field is not certainly valid (let zod decide). */
const NO = Symbol('no');
type Maybe<T> = T | typeof NO;

function str(v: unknown, min: number, max: number): Maybe<string> {
  return typeof v === 'string' && v.length >= min && v.length <= max ? v : NO;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const d2 = (s: string, i: number) => (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48;

/** `YYYY-MM-DDTHH:MM:SS.mmmZ` naming a real instant: exactly what `toISOString()` gives back for it. */
function isCanonicalIso(s: string): boolean {
  if (s.length !== 24 || s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':' || s[19] !== '.' || s[23] !== 'Z') return false;
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22]) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  const year = d2(s, 0) * 100 + d2(s, 2);
  const month = d2(s, 5);
  const day = d2(s, 8);
  if (month < 1 || month > 12 || day < 1 || d2(s, 11) > 23 || d2(s, 14) > 59 || d2(s, 17) > 59) return false;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= DAYS[month - 1]! + (leap ? 1 : 0);
}

/** A date in wire form (the ISO string zod's Date serialises to). */
function date(v: unknown): Maybe<string> {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? NO : v.toISOString();
  if (typeof v !== 'string') return NO;
  if (isCanonicalIso(v)) return v; // no Date round trip: the common string form
  if (!ISO_DATE.test(v)) return NO;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? NO : d.toISOString();
}

function int(v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): Maybe<number> {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max ? v : NO;
}

function num(v: unknown, min: number, max: number): Maybe<number> {
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : NO;
}

/** Copies a nullish field: absent stays absent, null stays null, else `check` decides. */
function opt<T>(out: Obj, src: Obj, key: string, check: (v: unknown) => Maybe<T>): boolean {
  const v = src[key];
  if (v === undefined) return true;
  if (v === null) {
    out[key] = null;
    return true;
  }
  const c = check(v);
  if (c === NO) return false;
  out[key] = c;
  return true;
}

const optText = (v: unknown) => str(v, 0, 256);
const flowVersion = (v: unknown) => int(v, 1);
const nonNeg = (v: unknown) => int(v, 0);

/** campaignId-style ids: always present in the output, null or a digit string. */
function optId(out: Obj, src: Obj, key: string): boolean {
  const v = src[key];
  if (v == null) out[key] = null;
  else if (typeof v === 'string' && ID_DIGITS.test(v)) out[key] = v;
  else if (int(v, 0) !== NO) out[key] = String(v);
  else return false;
  return true;
}

function envelope(e: Obj): Obj | undefined {
  const id = str(e.id, 1, 200);
  const legId = e.legId;
  const startedAt = date(e.startedAt);
  const at = date(e.at);
  const seq = int(e.seq, 0);
  const d = e.direction;
  if (e.v !== CALL_LOG_EVENT_VERSION || id === NO || typeof legId !== 'string' || !UUID.test(legId)) return undefined;
  if (startedAt === NO || at === NO || seq === NO || (d !== 'inbound' && d !== 'outbound' && d !== 'transfer')) return undefined;
  return { v: CALL_LOG_EVENT_VERSION, id, legId, startedAt, direction: d, at, seq };
}

function created(out: Obj, e: Obj): boolean {
  for (const k of ['caller', 'callee', 'did', 'node', 'engineId', 'flowId', 'trunk']) if (!opt(out, e, k, optText)) return false;
  if (!optId(out, e, 'campaignId') || !optId(out, e, 'contactId') || !optId(out, e, 'attemptId')) return false;
  return opt(out, e, 'flowVersion', flowVersion) && opt(out, e, 'parentLegId', (v) => (typeof v === 'string' && UUID.test(v) ? v : NO));
}

function ivrStep(out: Obj, e: Obj): boolean {
  const step = int(e.step, 0);
  const state = str(e.state, 1, 128);
  const kind = str(e.kind, 1, 64);
  if (step === NO || state === NO || kind === NO) return false;
  out.step = step;
  out.state = state;
  out.kind = kind;
  const detail = e.detail;
  if (detail === undefined) out.detail = {};
  // Only plain objects: zod's record() copies own keys of exactly these.
  else if (typeof detail === 'object' && detail !== null && Object.getPrototypeOf(detail) === Object.prototype) out.detail = detail;
  else return false;
  return opt(out, e, 'flowId', optText) && opt(out, e, 'flowVersion', flowVersion);
}

function hungUp(out: Obj, e: Obj): boolean {
  const cause = str(e.hangupCause, 1, 64);
  if (cause === NO) return false;
  out.hangupCause = cause;
  return (
    opt(out, e, 'sipCode', (v) => int(v, 100, 699)) &&
    opt(out, e, 'answeredAt', date) &&
    opt(out, e, 'ringMs', nonNeg) &&
    opt(out, e, 'talkMs', nonNeg) &&
    opt(out, e, 'totalMs', nonNeg) &&
    opt(out, e, 'pddMs', nonNeg) &&
    opt(out, e, 'mos', (v) => num(v, 0, 5)) &&
    opt(out, e, 'jitterMs', (v) => num(v, 0, Number.MAX_VALUE)) &&
    opt(out, e, 'packetLossPct', (v) => num(v, 0, 100))
  );
}

function text(out: Obj, e: Obj, key: string): boolean {
  const v = str(e[key], 1, 256);
  if (v === NO) return false;
  out[key] = v;
  return true;
}

/**
 * The event's wire form (ready for `JSON.stringify`) when `input` is certainly valid, else
 * undefined (invalid, or unusual enough that `parseCallLogEvent` should decide). Never
 * accepts an event zod would reject; what it returns equals the schema's output as JSON.
 *
 * @example
 * const wire = fastCallLogWire(input); const line = wire ? JSON.stringify(wire) : slowPath(input);
 */
export function fastCallLogWire(input: unknown): Record<string, unknown> | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const e = input as Obj;
  const out = envelope(e);
  if (!out) return undefined;
  const type = e.type;
  out.type = type;
  let ok: boolean;
  if (type === 'ivr.step') ok = ivrStep(out, e);
  else if (type === 'leg.answered') ok = true;
  else if (type === 'leg.created') ok = created(out, e);
  else if (type === 'leg.hungup') ok = hungUp(out, e);
  else if (type === 'leg.bridged') ok = text(out, e, 'bridgedTo');
  else if (type === 'leg.transferred') ok = text(out, e, 'transferredTo');
  else ok = false;
  return ok ? out : undefined;
}

/**
 * Validates one event and serialises it to its stream line: the fast check for the common
 * shapes, the zod schema for anything else. Never throws.
 *
 * @example
 * const r = encodeCallLogEvent(event); if (r.ok) buffer.push(r.line); else log(r.error.message);
 */
export function encodeCallLogEvent(input: unknown): { ok: true; line: string } | { ok: false; error: CallLogEventError } {
  const wire = fastCallLogWire(input);
  if (wire) return { ok: true, line: JSON.stringify(wire) };
  const r = parseCallLogEvent(input);
  return r.ok ? { ok: true, line: JSON.stringify(r.event) } : r;
}
