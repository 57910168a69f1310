import type { ChannelControl } from '../driver/channel-control.ts';
import { EslChannelDriver } from '../driver/esl-channel-driver.ts';
import type { AppLatencyObserver } from '../driver/pending-apps.ts';
import type { CallLogEmitter } from './call-log-emitter.ts';
import { CallSession, type CallSessionDeps, type CallSessionInit } from './call-session.ts';
import type { FlowHandle } from './flow-ports.ts';

/** Everything needed to build one session, whatever the flavour. */
export interface NewCall extends CallSessionInit {
  readonly control: ChannelControl;
  readonly log: CallLogEmitter;
}

/** Options shared by all sessions. */
export interface CallFactoryOptions<F extends FlowHandle> {
  readonly deps: CallSessionDeps<F>;
  readonly appTimeoutMs: number;
  readonly transferContext: string;
  readonly onAppCompleted?: AppLatencyObserver;
}

/** Builds a session from its parts: the one place a driver meets a session. */
export function createCallSession<F extends FlowHandle>(c: NewCall, o: CallFactoryOptions<F>): CallSession<F> {
  // The shared options are the driver's options and the call is the session's init: no per-call copies.
  return new CallSession<F>(c, new EslChannelDriver(c.callId, c.control, o), c.log, o.deps);
}
