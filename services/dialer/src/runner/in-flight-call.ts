import type { Campaign } from '../campaign/campaign-record.ts';
import type { ClaimedAttempt } from '../claims/contact-claimer.ts';

/** One attempt from originate to its end, as the tracker holds it. */
export interface InFlightCall {
  attempt: ClaimedAttempt;
  campaign: Campaign;
  /** job: waiting for BACKGROUND_JOB; up: answered, waiting for hang-up; adopted: found live after a restart. */
  phase: 'job' | 'up' | 'adopted';
  answeredAt: number | null;
  machine: boolean;
  /** Set when the flow was not connected in time (or the handoff failed). */
  abandoned: boolean;
  /** The answered call is waiting for the engine to take it (hand-off in progress). */
  handoffPending?: boolean;
  /** A hang-up that arrived before the job result. */
  earlyHangup: string | null;
  /** When the attempt started (ms). */
  startedAt: number;
  /** Deadline for the current phase (ms); past it the call's existence is checked. */
  deadline: number;
}
