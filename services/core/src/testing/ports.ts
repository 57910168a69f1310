import { readFile } from 'node:fs/promises';
import net from 'node:net';
import dgram from 'node:dgram';

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export async function freeTcpPort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A port free for both UDP and TCP on `host` (SIP listens on both). */
export async function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = await freeTcpPort(host);
    const ok = await new Promise<boolean>((resolve) => {
      const s = dgram.createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(port, host, () => s.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error('no free UDP port found');
}

/**
 * True once something has bound UDP `port` (Linux: /proc/net/udp). Tests wait on it after
 * starting SIPp instead of sleeping: a slow start on a loaded machine would otherwise meet
 * the first INVITE with ICMP port unreachable.
 */
export async function udpPortBound(port: number): Promise<boolean> {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const table of ['/proc/net/udp', '/proc/net/udp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    // Each row: "sl local_address rem_address st ..."; local_address is ADDR:PORT in hex.
    for (const line of text.split('\n')) if (line.trim().split(/\s+/)[1]?.endsWith(hex)) return true;
  }
  return false;
}
