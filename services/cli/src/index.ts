export * from './args.ts';
export * from './exit-codes.ts';
export * from './http/api-client.ts';
export { main, USAGE } from './main.ts';
export * from './output/progress-bar.ts';
export * from './output/table.ts';
