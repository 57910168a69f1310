export * from './drain-controller.ts';
export * from './graceful-shutdown.ts';
export * from './ops-handler.ts';
export * from './ops-server.ts';
export * from './platform-metrics.ts';
export * from './readiness.ts';
