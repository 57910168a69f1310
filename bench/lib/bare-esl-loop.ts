/**
 * bench:engine's peer, in a process of its own as the engine is: a bare inbound ESL loop that
 * answers every DTMF with one `playback` (no flow, no Redis, no XState) on each node given.
 *
 *   node --import tsx bench/lib/bare-esl-loop.ts <eslPort> [<eslPort>…]
 *
 * Prints `bare connected` once subscribed on every node; stops on SIGTERM.
 */
import { EslInboundClient, encodeExecute } from '@switchyard/esl';

const ports = process.argv.slice(2).map(Number);
if (ports.length === 0 || ports.some((p) => !(p > 0))) {
  console.error('usage: bare-esl-loop <eslPort> [<eslPort>…]');
  process.exit(2);
}
const clients = ports.map((port) => {
  const client = new EslInboundClient({ host: '127.0.0.1', port, password: 'ClueCon', events: { format: 'json', names: ['DTMF'] }, maxInFlight: 10_000 });
  client.on('event', (e) => {
    const uuid = e.uniqueId;
    if (uuid) void client.commandEncoded(encodeExecute({ uuid, app: 'playback', arg: 'ivr/hold.wav', eventLock: false })).catch(() => {});
  });
  return client;
});
await Promise.all(clients.map((c) => c.connect()));
console.log('bare connected');
process.on('SIGTERM', () => {
  void Promise.all(clients.map((c) => c.close())).finally(() => process.exit(0));
});
