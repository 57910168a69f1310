import { hostPortOf, type SipMessage } from './sip-message.ts';
import type { SipPeer } from './sip-uas.ts';

/**
 * A dialog's route set and remote target (RFC 3261 §12.1): how mod_sofia (sofia-sip)
 * addresses its in-dialog requests (ACK for 2xx, BYE, INFO, re-INVITE) behind a proxy.
 */
export interface DialogRoute {
  /** Route header values, first hop first (name-addr form, e.g. `<sip:10.0.0.1;lr>`). */
  routeSet: string[];
  /** The peer's Contact URI. */
  remoteTarget: string;
}

/** Record-Route values of a message in header order (a line may carry several, comma-separated). */
export function recordRoutes(msg: SipMessage): string[] {
  const out: string[] = [];
  for (const line of msg.headers.get('record-route') ?? []) {
    for (const v of line.split(/,(?=\s*<)/)) if (v.trim()) out.push(v.trim());
  }
  return out;
}

/** URI inside a name-addr (`"x" <sip:a@b>;p`) or a bare addr-spec. */
export function uriOf(v: string): string {
  return /<([^>]+)>/.exec(v)?.[1] ?? v.split(';')[0]?.trim() ?? '';
}

/**
 * Route state from the message that set up the dialog: a UAS takes the INVITE's Record-Route
 * in order, a UAC the 2xx's in reverse (§12.1.1, §12.1.2); the remote target is its Contact.
 */
export function dialogRouteOf(msg: SipMessage, side: 'uas' | 'uac', fallbackTarget: string): DialogRoute {
  const rr = recordRoutes(msg);
  const contact = msg.headers.get('contact')?.[0];
  return { routeSet: side === 'uas' ? rr : rr.reverse(), remoteTarget: contact ? uriOf(contact) : fallbackTarget };
}

/** Where and how to send an in-dialog request (§12.2.1.1, loose and strict routing). */
export interface InDialogTarget {
  requestUri: string;
  routes: string[];
  /** Next hop: the first route, or `fallback` when there is no route set. */
  peer: SipPeer;
}

/**
 * Request-URI, Route headers and next hop for a request inside the dialog. Loose routing
 * (`;lr` on the first route): Request-URI = remote target, Route = route set. Strict: the
 * first route becomes the Request-URI and the remote target goes last in Route. Without a
 * route set the request goes to `fallback` (the address the dialog's messages came from,
 * as sofia does behind NAT) with the remote target as Request-URI.
 */
export function inDialogTarget(r: DialogRoute, fallback: SipPeer): InDialogTarget {
  const first = r.routeSet[0];
  if (first === undefined) return { requestUri: r.remoteTarget, routes: [], peer: fallback };
  const firstUri = uriOf(first);
  const peer = hostPortOf(firstUri);
  if (/;lr\b/i.test(firstUri)) return { requestUri: r.remoteTarget, routes: r.routeSet, peer };
  return { requestUri: firstUri, routes: [...r.routeSet.slice(1), `<${r.remoteTarget}>`], peer };
}
