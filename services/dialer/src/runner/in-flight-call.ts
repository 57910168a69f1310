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
  /** Settles once the hand-off to the engine is decided (connected, or abandoned). */
  handoff?: Promise<void>;
  /** A hang-up that arrived before the job result. */
  earlyHangup: string | null;
  /** When the attempt started (ms). */
  startedAt: number;
  /** Deadline for the current phase (ms); past it the call's existence is checked. */
  deadline: number;
}
