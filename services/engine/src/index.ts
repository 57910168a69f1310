/**
 * @switchyard/engine — the call engine: node links, call sessions over one ChannelDriver
 * (inbound-by-uuid, outbound-socket), DID routing, ownership and takeover, drain.
 *
 * @example
 * import { loadEngineConfig, startEngineRuntime } from '@switchyard/engine';
 * const rt = await startEngineRuntime(loadEngineConfig());
 */
export * from './app/call-engine.ts';
export * from './app/engine-ops.ts';
export * from './app/engine-runtime.ts';
export * from './app/engine.module.ts';
export * from './app/flow-catalog.ts';
export * from './config/engine-config.ts';
export * from './driver/channel-control.ts';
export * from './driver/esl-channel-driver.ts';
export * from './driver/inbound-channel-control.ts';
export * from './driver/outbound-channel-control.ts';
export * from './esl/esl-event.ts';
export * from './esl/esl-node-link.ts';
export * from './lookups/engine-lookups.ts';
export * from './lookups/lookup-timeout.ts';
export * from './nodes/node-health.ts';
export * from './nodes/node-link.ts';
export * from './nodes/node-manager.ts';
export * from './nodes/node-source.ts';
export * from './ownership/call-ownership.ts';
export * from './ownership/call-snapshot.ts';
export * from './ownership/engine-keys.ts';
export * from './prompts/checked-publish.ts';
export * from './prompts/prompt-readiness.ts';
export * from './routing/did-route-cache.ts';
export * from './session/call-log-emitter.ts';
export * from './session/call-session.ts';
export * from './session/dialer-leg.ts';
export * from './session/engine-stats.ts';
