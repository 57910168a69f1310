import type { FsSim } from '@switchyard/fs-sim';

/** What {@link watchDtmf} saw on a simulated switch's bus. */
export interface DtmfWatch {
  answers(): number;
  /** ms from each sampled DTMF event to the channel's next CHANNEL_EXECUTE. */
  readonly latencies: number[];
}

/**
 * Watches a simulated switch's bus: answers, and DTMF → first CHANNEL_EXECUTE per channel
 * (what the engine does about a key, seen where FreeSWITCH would see it). Keys are sampled
 * while `sampleFrom()` is true.
 */
export function watchDtmf(sim: FsSim, sampleFrom: () => boolean): DtmfWatch {
  const pending = new Map<string, number>(); // bounded by live channels; deleted on first execute
  const lat: number[] = [];
  let answers = 0;
  sim.core.bus.add({
    wants: (name) => name === 'DTMF' || name === 'CHANNEL_ANSWER' || (name === 'CHANNEL_EXECUTE' && pending.size > 0),
    deliver(ev) {
      const id = ev.channelUuid ?? '';
      if (ev.name === 'CHANNEL_ANSWER') answers++;
      else if (ev.name === 'DTMF') {
        if (sampleFrom()) pending.set(id, performance.now());
      } else {
        const t = pending.get(id);
        if (t !== undefined) {
          pending.delete(id);
          lat.push(performance.now() - t);
        }
      }
    },
  });
  return { answers: () => answers, latencies: lat };
}
