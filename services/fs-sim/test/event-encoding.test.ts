import { encodeEvent } from '@switchyard/esl';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeSegments } from '../src/core/event-segment.ts';
import { type FsSim, startFsSim } from '../src/index.ts';

let sim: FsSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('cached event segments', () => {
  it('encode to exactly the bytes @switchyard/esl encodeEvent gives for the same headers', async () => {
    sim = await startFsSim({ sipPort: false, heartbeatMs: 0 });
    const uuid = sim.placeCall({ destination: '1000', callerIdName: 'Zoë "Q" <x>;y', vars: { odd: 'a%41b\n%zz' } }) as string;
    const rt = sim.core.runtime(uuid);
    expect(rt).toBeDefined();
    if (!rt) return;
    const events = [
      sim.core.events.channel('CHANNEL_EXECUTE_COMPLETE', rt.ch, { post: [['Application', 'playback'], ['Application-Response', 'FILE PLAYED']] }),
      sim.core.events.channel('DTMF', rt.ch, { vars: false, post: [['DTMF-Digit', '#']] }),
      sim.core.events.channel('PRIVATE_COMMAND', rt.ch, { lead: [['Command', `sendmsg ${uuid}`]], vars: false, body: 'body ü\n' }),
    ];
    rt.ch.setVar('late', 'x y'); // invalidates the variable segment
    events.push(sim.core.events.channel('CHANNEL_PARK', rt.ch));
    for (const ev of events) {
      for (const fmt of ['plain', 'json'] as const) {
        expect(Buffer.from(encodeSegments(fmt, ev.segments ?? [], ev.body), 'utf8').equals(encodeEvent(fmt, ev.headers, ev.body))).toBe(true);
      }
    }
    expect(events[3]?.headers.some(([k, v]) => k === 'variable_late' && v === 'x y')).toBe(true);
    expect(events[0]?.headers.some(([k]) => k === 'variable_late')).toBe(false);
  });
});
