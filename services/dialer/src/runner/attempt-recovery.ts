import type { Campaign } from '../campaign/campaign-record.ts';
import { CampaignService } from '../campaign/campaign-service.ts';
import type { AttemptRecorder } from '../claims/attempt-recorder.ts';
import type { DialerDb } from '../db/dialer-schema.ts';
import { type AttemptTracker, logFacts } from './attempt-tracker.ts';
import type { InFlightCall } from './in-flight-call.ts';
import type { NodePicker } from './node-picker.ts';
import type { DialerMetricsPort } from './dialer-metrics-port.ts';
import type { AttemptLogPort, SwitchPort } from './switch-port.ts';

/**
 * After a crash (kill -9), attempts this dialer left open are resolved before it dials
 * again. Each call is looked up on its node by the UUID chosen before the originate:
 * a live channel is adopted and followed to its hang-up (never dialled again while up);
 * a missing one is closed as `answered` if it had been answered, else as `unknown` (cause
 * DIALER_RESTART) and retried by policy; an
 * unreachable node leaves the attempt adopted with an expired deadline so the sweep asks
 * again. The contact stays `dialling` meanwhile, so no other process can claim it.
 */
export async function recoverOpenAttempts(
  db: DialerDb,
  dialerId: string,
  sw: SwitchPort,
  recorder: AttemptRecorder,
  tracker: AttemptTracker,
  picker: NodePicker,
  clock: () => number,
  log: AttemptLogPort | null,
  metrics: DialerMetricsPort | null = null,
): Promise<{ adopted: number; closed: number }> {
  const campaigns = new CampaignService(db);
  const cache = new Map<string, Campaign>();
  let adopted = 0;
  let closed = 0;
  for (;;) {
    const open = (await recorder.openAttempts(dialerId, 500)).filter((a) => !tracker.has(a.call_uuid ?? ''));
    if (open.length === 0) break;
    for (const a of open) {
      let c = cache.get(a.campaign_id);
      if (!c) cache.set(a.campaign_id, (c = await campaigns.get(a.campaign_id)));
      const node = a.node ?? '';
      let live: boolean | null;
      try {
        live = node && a.call_uuid ? await sw.channelExists(node, a.call_uuid) : false;
      } catch {
        live = null;
      }
      const call: InFlightCall = {
        attempt: {
          attemptId: a.id,
          campaignId: a.campaign_id,
          contactId: a.contact_id,
          attemptNo: a.attempt_no,
          phone: a.phone_e164,
          node,
          jobUuid: a.job_uuid ?? `recovered-${a.id}`,
          callUuid: a.call_uuid ?? `recovered-${a.id}`,
          startedAt: a.started_at.getTime(),
        },
        campaign: c,
        startedAt: a.started_at.getTime(),
        phase: 'adopted',
        answeredAt: a.answered_at?.getTime() ?? null,
        machine: false,
        abandoned: false,
        earlyHangup: null,
        deadline: live === null ? 0 : clock() + 60_000,
      };
      // The crash may have lost the leg's creation from the call log's buffer: log it again
      // (same event id and leg key, so the recorder merges it into the row it may already have).
      log?.attemptStarted(logFacts(call, call.startedAt));
      if (live === false) {
        // Gone while nobody listened. Answered → it was a call (do not ring them again);
        // never answered → unknown, retried under the failed rule.
        const now = clock();
        const outcome = call.answeredAt !== null ? 'answered' : 'unknown';
        // Logged (durably) before the close, as the tracker does: a second crash re-logs the same event.
        log?.attemptEnded({ ...logFacts(call, now), outcome, cause: 'DIALER_RESTART', answeredAt: call.answeredAt });
        await log?.flush?.();
        if ((await recorder.finish(c, a.id, a.attempt_no, { outcome, cause: 'DIALER_RESTART', endedAt: now })) !== null) metrics?.ended(c.id, outcome, 'DIALER_RESTART');
        closed++;
        continue;
      }
      picker.add(node);
      tracker.track(call);
      adopted++;
    }
    if (open.length < 500) break;
  }
  return { adopted, closed };
}
