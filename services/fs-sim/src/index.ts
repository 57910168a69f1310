/**
 * @switchyard/fs-sim — a FreeSWITCH 1.10 stand-in: ESL inbound/outbound, SIP over UDP,
 * simulated media and load mode, faithful to the real captures.
 *
 * @example
 * const sim = await startFsSim({ heartbeatMs: 1000 });
 * const uuid = sim.placeCall({ destination: '1000', script: 'wait 1s; press 1' });
 */
export { startFsSim, type FsSim, type FsSimOptions } from './fs-sim.ts';
export { type Extension, type DialplanAction, defaultExtensions, loadDialplanFile } from './dialplan/dialplan.ts';
export { type MediaQuality, GOOD_LINE } from './core/channel.ts';
export { parseCallerScript, type CallerStep } from './load/caller-script.ts';
export type { LoadOptions, LoadRun, LoadStats } from './load/load-generator.ts';
export { SwitchCore } from './core/switch-core.ts';
