import { describe } from 'vitest';
import { splitPropertyTests } from './helpers/split-property.ts';

// Every two-way split (and random multi-splits) of every capture's FreeSWITCH-side bytes; the
// captures are shared between two files so the two vitest workers run them in parallel.
describe('framing over captures (odd files)', () => splitPropertyTests(1));
