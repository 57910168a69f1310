#!/usr/bin/env node
// The `switchyard` command: registers tsx (no emitted JS in this repo), then runs the TS entry.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
