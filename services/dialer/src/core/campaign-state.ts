import type { CampaignState } from '@switchyard/core';

/** Campaign lifecycle: draft → running ⇄ paused → completed / stopped. */
const TRANSITIONS: Record<CampaignState, readonly CampaignState[]> = {
  draft: ['running', 'stopped'],
  running: ['paused', 'completed', 'stopped'],
  paused: ['running', 'completed', 'stopped'],
  completed: [],
  stopped: [],
};

/** The commands a manager issues, and the state each leads to. */
export type CampaignCommand = 'start' | 'pause' | 'resume' | 'stop' | 'complete';
const TARGET: Record<CampaignCommand, CampaignState> = {
  start: 'running',
  pause: 'paused',
  resume: 'running',
  stop: 'stopped',
  complete: 'completed',
};

export class CampaignTransitionError extends Error {
  constructor(
    readonly from: CampaignState,
    readonly command: CampaignCommand,
  ) {
    super(`cannot ${command} a campaign that is ${from}`);
    this.name = 'CampaignTransitionError';
  }
}

/**
 * The state `command` moves a campaign in state `from` to; throws CampaignTransitionError
 * when not allowed (e.g. resume a draft, start a stopped campaign).
 */
export function nextCampaignState(from: CampaignState, command: CampaignCommand): CampaignState {
  const to = TARGET[command];
  // start only from draft, resume only from paused.
  if (command === 'start' && from !== 'draft') throw new CampaignTransitionError(from, command);
  if (command === 'resume' && from !== 'paused') throw new CampaignTransitionError(from, command);
  if (!TRANSITIONS[from].includes(to)) throw new CampaignTransitionError(from, command);
  return to;
}
