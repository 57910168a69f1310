/**
 * @switchyard/dialer — outbound campaigns: model, CSV import, DNC, pacing, SKIP LOCKED
 * claims, originate over inbound ESL, live progress.
 *
 * @example
 * import { DialerService } from '@switchyard/dialer';
 * const d = new DialerService(asDialerDb(db)); await d.start(campaignId, 'alice');
 */
export * from './campaign/campaign-input.ts';
export * from './campaign/campaign-record.ts';
export * from './campaign/campaign-service.ts';
export * from './claims/attempt-recorder.ts';
export * from './claims/contact-claimer.ts';
export * from './contacts/contact-importer.ts';
export * from './contacts/import-report.ts';
export * from './core/abandon-budget.ts';
export * from './core/calling-window.ts';
export * from './core/campaign-state.ts';
export * from './core/contact-timezone.ts';
export * from './core/csv-parser.ts';
export * from './core/outcome.ts';
export * from './core/phone-number.ts';
export * from './core/prefix-guard.ts';
export * from './core/retry-policy.ts';
export * from './core/token-bucket.ts';
export * from './db/dialer-schema.ts';
export * from './dialer-config.ts';
export * from './dialer-service.ts';
export * from './dnc/dnc-service.ts';
export * from './esl/esl-switch.ts';
export * from './esl/pg-node-source.ts';
export * from './nest/dialer-module.ts';
export * from './pacing/redis-rate-limiter.ts';
export * from './progress/live-progress-store.ts';
export * from './runner/calllog-attempt-log.ts';
export * from './runner/dialer-runner.ts';
export * from './runner/engine-handoff-watcher.ts';
export * from './runner/originate-command.ts';
export * from './runner/switch-port.ts';
