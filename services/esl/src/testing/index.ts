/** Test helpers for ESL: the FreeSWITCH capture reader. */
export * from './captures.ts';
