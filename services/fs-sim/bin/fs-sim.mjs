#!/usr/bin/env node
// Registers tsx so the TypeScript entry runs without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
