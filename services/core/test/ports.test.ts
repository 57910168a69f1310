import dgram from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { freeUdpPort, udpPortBound } from '../src/testing/index.ts';

describe('udpPortBound', () => {
  it('sees a UDP port while a socket is bound to it, and not after', async () => {
    const port = await freeUdpPort();
    expect(await udpPortBound(port)).toBe(false);
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(port, '127.0.0.1', () => r()));
    expect(await udpPortBound(port)).toBe(true);
    await new Promise<void>((r) => s.close(() => r()));
    expect(await udpPortBound(port)).toBe(false);
  });
});
