/**
 * The bench's realistic CHANNEL_EXECUTE_COMPLETE (~100 headers, ~3.5 KB): the playback completion
 * from the plain call capture, keeping every non-variable header and the first variables in
 * their wire order, re-encoded as plain and json exactly as FreeSWITCH writes them.
 */

import { EslEvent, EslFrameParser, encodeEvent, HeaderBlock, urlDecodeBytes } from '@switchyard/esl';
import { loadCapture } from '@switchyard/esl/testing';

/** The fixture in both formats plus the ids a consumer reads. */
export interface EslEventFixture {
  plain: Buffer;
  json: Buffer;
  headerCount: number;
  uniqueId: string;
  applicationUuid: string;
}

/** Build the fixture (targetHeaders ≈ 100). */
export function buildExecuteCompleteFixture(targetHeaders = 100): EslEventFixture {
  const cap = loadCapture('inbound-plain-call.txt');
  const parser = new EslFrameParser();
  let source: EslEvent | undefined;
  for (const r of cap.records) {
    if (r.dir !== 'S>C') continue;
    parser.push(r.bytes, (f) => {
      const e = EslEvent.fromFrame(f);
      if (!source && e?.name === 'CHANNEL_EXECUTE_COMPLETE' && e.get('Application') === 'playback') source = e;
    });
  }
  if (!source) throw new Error('no playback CHANNEL_EXECUTE_COMPLETE in inbound-plain-call.txt');
  const all: [string, string][] = [];
  const f = source.frame;
  new HeaderBlock(f.buf, f.bodyStart, f.bodyEnd).forEach((name, s, e) => {
    all.push([name, urlDecodeBytes(f.buf, s, e)]);
  });
  const fixed = all.filter(([k]) => !k.startsWith('variable_'));
  let vars = targetHeaders - fixed.length;
  const chosen = all.filter(([k]) => !k.startsWith('variable_') || vars-- > 0);
  // A unique app id per bench so nothing can be mistaken for a capture value.
  const appUuid = '0b3e5c1a-0000-4000-8000-00000000be01';
  const headers = chosen.map(([k, v]) => [k, k === 'Application-UUID' ? appUuid : v] as [string, string]);
  return {
    plain: encodeEvent('plain', headers),
    json: encodeEvent('json', headers),
    headerCount: headers.length,
    uniqueId: source.uniqueId ?? '',
    applicationUuid: appUuid,
  };
}
