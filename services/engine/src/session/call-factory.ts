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
  const driver = new EslChannelDriver(c.callId, c.control, {
    appTimeoutMs: o.appTimeoutMs,
    transferContext: o.transferContext,
    ...(o.onAppCompleted ? { onAppCompleted: o.onAppCompleted } : {}),
  });
  return new CallSession<F>(
    { callId: c.callId, node: c.node, flavour: c.flavour, call: c.call, startedAt: c.startedAt, answered: c.answered, ...(c.dialer ? { dialer: c.dialer } : {}), ...(c.resumeState ? { resumeState: c.resumeState } : {}) },
    driver,
    c.log,
    o.deps,
  );
}
