export * from './channel-driver.ts';
export * from './runtime/runtime-types.ts';
