import { type Server, type Socket, createServer } from 'node:net';
import type { SwitchCore } from '../core/switch-core.ts';
import { EslSession } from './esl-session.ts';

/** The mod_event_socket listener (inbound mode). */
export class InboundServer {
  private readonly server: Server;
  private readonly sessions = new Set<EslSession>();

  constructor(
    private readonly sw: SwitchCore,
    private readonly password: string,
  ) {
    this.server = createServer((socket: Socket) => this.accept(socket));
  }

  private accept(socket: Socket): void {
    const s = new EslSession(this.sw, socket, { kind: 'inbound', password: this.password }, (gone) => this.sessions.delete(gone));
    this.sessions.add(s);
  }

  /** Listen; resolves with the bound port. */
  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const addr = this.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  /** Bytes queued towards all ESL clients (load mode backs off when consumers lag). */
  bufferedBytes(): number {
    let n = 0;
    for (const s of this.sessions) n += s.bufferedBytes;
    return n;
  }

  get connections(): number {
    return this.sessions.size;
  }

  /** Stop accepting; drop every session. */
  async close(): Promise<void> {
    for (const s of [...this.sessions]) s.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
