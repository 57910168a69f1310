import { loadCapture } from '@switchyard/esl/testing';
import { describe, expect, it } from 'vitest';
import { parseChannels } from '../src/session/call-reconciler.ts';

describe('parseChannels', () => {
  it('reads the idle reply real FreeSWITCH sends as no channels', () => {
    // The exact api/response body from the capture of an idle node.
    const records = loadCapture('inbound-json-api.txt').records.filter((r) => r.bytes.includes('{"row_count": 0}'));
    const body = records[0]!.bytes.toString('utf8');
    expect(parseChannels(body.slice(body.indexOf('{')))).toEqual([]);
  });

  it('returns the rows of a busy node', () => {
    const rows = parseChannels('{"row_count":1,"rows":[{"uuid":"a-b","application":"park","dest":"1000"}]}');
    expect(rows).toEqual([{ uuid: 'a-b', application: 'park', dest: '1000' }]);
  });

  it('refuses an error reply instead of reading it as "no channels"', () => {
    expect(() => parseChannels('-ERR no reply\n')).toThrow(/show channels as json: -ERR no reply/);
    expect(() => parseChannels('')).toThrow(/empty reply/);
  });
});
