/**
 * Tracks `sendmsg execute` completion: Event-UUID → Application-UUID on CHANNEL_EXECUTE_COMPLETE.
 * An app that never completes (unknown app name → hangup, park, conference) is resolved by the
 * channel's CHANNEL_HANGUP_COMPLETE / CHANNEL_DESTROY, a timeout, an abort or a disconnect.
 */

import type { EslEvent } from '../event/esl-event.ts';
import { EslChannelHangupError } from './errors.ts';
import { WaiterMap } from './waiter-map.ts';

/** Pending executes, indexed by app id and by channel. */
export class ExecuteTracker {
  private readonly waiters: WaiterMap<EslEvent>;
  private readonly byChannel = new Map<string, Set<string>>();

  /** At most `max` pending executes; beyond it `wait` fails fast with EslError('busy'). */
  constructor(max: number) {
    this.waiters = new WaiterMap<EslEvent>(max, 'execute');
  }

  get size(): number {
    return this.waiters.size;
  }

  /** Wait for the CHANNEL_EXECUTE_COMPLETE of `appUuid` on `channel`. */
  wait(channel: string, appUuid: string, timeoutMs: number, signal?: AbortSignal): Promise<EslEvent> {
    const p = this.waiters.add(appUuid, timeoutMs, signal, () => {
      const set = this.byChannel.get(channel);
      set?.delete(appUuid);
      if (set && set.size === 0) this.byChannel.delete(channel);
    });
    let set = this.byChannel.get(channel);
    if (!set) this.byChannel.set(channel, (set = new Set()));
    set.add(appUuid);
    return p;
  }

  /** Cancel one wait (e.g. the sendmsg itself was refused). */
  fail(appUuid: string, err: Error): void {
    this.waiters.reject(appUuid, err);
  }

  /** Feed every event; O(1) unless it completes or ends a tracked channel. */
  onEvent(e: EslEvent): void {
    if (this.waiters.size === 0) return;
    const name = e.name;
    if (name === 'CHANNEL_EXECUTE_COMPLETE') {
      const app = e.applicationUuid;
      if (app) this.waiters.resolve(app, e);
    } else if (name === 'CHANNEL_HANGUP_COMPLETE' || name === 'CHANNEL_DESTROY') {
      const uuid = e.uniqueId;
      const set = uuid ? this.byChannel.get(uuid) : undefined;
      if (!uuid || !set) return;
      const cause = e.get('Hangup-Cause') ?? '';
      for (const app of [...set]) this.waiters.reject(app, new EslChannelHangupError(uuid, cause));
    }
  }

  /** Reject everything (connection lost / closed). */
  failAll(err: Error): void {
    this.waiters.rejectAll(err);
    this.byChannel.clear();
  }
}
