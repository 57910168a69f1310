import { CallLogProducer } from '@switchyard/calllog';
import { legEvents } from '@switchyard/calllog/testing';
import { createRedis, type Redis, redisReady } from '@switchyard/core';
import { testRedisUrl } from '@switchyard/core/testing';

/** A producer on the shared Redis plus helpers the pipeline tests share. */
export async function startProducer(stream: string, spoolDir: string): Promise<{ producer: CallLogProducer; redis: Redis }> {
  const redis = createRedis(testRedisUrl());
  await redisReady(redis); // no offline queue: commands fail until connected
  const producer = new CallLogProducer({ redis, stream, spoolDir });
  await producer.start();
  return { producer, redis };
}

/** Produces `n` complete legs (created, answered, 2 IVR steps, hung up); returns their ids. */
export function produceLegs(producer: CallLogProducer, n: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const events = legEvents({ answerAfterMs: 500 + (i % 7) * 100, talkMs: 1000 + i, ivr: ['welcome', 'menu'] });
    ids.push(events[0]!.legId);
    for (const e of events) if (!producer.append(e)) throw new Error('producer refused an event');
  }
  return ids;
}

/** Events per leg produced by {@link produceLegs}. */
export const EVENTS_PER_LEG = 5;
