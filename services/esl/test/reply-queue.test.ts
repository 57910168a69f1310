import { describe, expect, it } from 'vitest';
import { ReplyQueue } from '../src/connection/reply-queue.ts';
import type { EslError } from '../src/connection/errors.ts';
import { EslFrameParser, type EslFrame } from '../src/index.ts';

function reply(text: string): EslFrame {
  let out: EslFrame | undefined;
  new EslFrameParser().push(Buffer.from(`Content-Type: command/reply\nReply-Text: ${text}\n\n`), (f) => (out = f));
  return out!;
}
const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: EslError) => e.code);

describe('ReplyQueue timeouts (one shared timer)', () => {
  it('times each command out at its own deadline, keeps FIFO matching, and never times out 0', async () => {
    const q = new ReplyQueue(100);
    const t0 = performance.now();
    const long = q.enqueue(400);
    const short = q.enqueue(40); // behind the head, earlier deadline
    const never = q.enqueue(0);
    const shortAt = short.catch(() => performance.now() - t0);
    expect(await code(short)).toBe('timeout');
    expect(await shortAt).toBeLessThan(300); // did not wait for the head's deadline
    // Replies stay FIFO: the head gets the first, the timed-out slot swallows the second.
    expect(q.deliver(reply('+OK one'))).toBe(true);
    expect((await long).replyText).toBe('+OK one');
    expect(q.deliver(reply('+OK late'))).toBe(true);
    const later = q.enqueue(30);
    expect(q.deliver(reply('+OK never'))).toBe(true);
    expect((await never).replyText).toBe('+OK never');
    expect(await code(later)).toBe('timeout');
    expect(q.deliver(reply('+OK late again'))).toBe(true);
    expect(q.size).toBe(0);
  });

  it('fails everything on failAll, and a deadline after that fires nothing', async () => {
    const q = new ReplyQueue(10);
    const a = q.enqueue(20);
    const err = new Error('gone') as EslError;
    q.failAll(err);
    await expect(a).rejects.toBe(err);
    await new Promise((r) => setTimeout(r, 40));
    expect(q.deliver(reply('+OK'))).toBe(false);
  });
});
