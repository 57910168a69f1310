import type { FsSim } from '@switchyard/fs-sim';

/** One channel as the switch saw it (ms on this process's clock, shared by every sim here). */
export interface LedgerChannel {
  uuid: string;
  node: string;
  contactId: string | undefined;
  createdAt: number;
  answeredAt: number | null;
  hungupAt: number | null;
  destroyedAt: number | null;
}

const WATCHED = new Set(['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_HANGUP_COMPLETE', 'CHANNEL_DESTROY']);

/**
 * The switch's own record of the channels it created, kept by listening on each fs-sim's
 * event bus in-process: the ground truth for "dialled twice at once", whatever the dialers
 * or the call log believe. Holds one entry per channel (a test's worth).
 */
export class ChannelLedger {
  readonly channels = new Map<string, LedgerChannel>();

  watch(node: string, sim: FsSim): void {
    sim.core.bus.add({
      wants: (name) => WATCHED.has(name),
      deliver: (ev) => {
        const uuid = ev.channelUuid;
        if (!uuid) return;
        const now = Date.now();
        if (ev.name === 'CHANNEL_CREATE') {
          const contactId = sim.core.runtime(uuid)?.ch.getVar('sy_contact_id');
          this.channels.set(uuid, { uuid, node, contactId, createdAt: now, answeredAt: null, hungupAt: null, destroyedAt: null });
          return;
        }
        const c = this.channels.get(uuid);
        if (!c) return;
        if (ev.name === 'CHANNEL_ANSWER') c.answeredAt ??= now;
        else if (ev.name === 'CHANNEL_HANGUP_COMPLETE') c.hungupAt ??= now;
        else c.destroyedAt ??= now;
      },
    });
  }

  /** Channels up at once at the busiest moment (create → hang-up complete). */
  maxConcurrent(): number {
    const edges: [number, number][] = [];
    for (const c of this.channels.values()) edges.push([c.createdAt, 1], [c.hungupAt ?? Number.POSITIVE_INFINITY, -1]);
    edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    let up = 0;
    let max = 0;
    for (const [, d] of edges) max = Math.max(max, (up += d));
    return max;
  }

  /** Contacts that had two channels alive at the same time (create → destroy), with their uuids. */
  doubleDials(): { contactId: string; uuids: string[] }[] {
    const byContact = new Map<string, LedgerChannel[]>();
    for (const c of this.channels.values()) {
      const k = c.contactId ?? `(none:${c.uuid})`;
      byContact.set(k, [...(byContact.get(k) ?? []), c]);
    }
    const out: { contactId: string; uuids: string[] }[] = [];
    for (const [contactId, legs] of byContact) {
      legs.sort((x, y) => x.createdAt - y.createdAt);
      for (let i = 1; i < legs.length; i++) {
        const prev = legs[i - 1]!;
        if (legs[i]!.createdAt < (prev.destroyedAt ?? Number.POSITIVE_INFINITY)) out.push({ contactId, uuids: [prev.uuid, legs[i]!.uuid] });
      }
    }
    return out;
  }
}
