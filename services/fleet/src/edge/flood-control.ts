import { isIP } from 'node:net';
import type { KamailioRpc } from '../kamailio/kamailio-rpc-client.ts';
import { FleetInputError } from '../nodes/node-input-schema.ts';

/** A source Pike is tracking. */
export interface PikeOffender {
  ip: string;
  /** "HOT" = currently blocked by Pike; "WARM" = close to it. */
  status: string;
  hits: number[];
}

/** A banned source (htable `ipban`). */
export interface Ban {
  ip: string;
}

/** Kamailio's edge counters (script statistics). */
export interface EdgeCounters {
  inviteRejected: number;
  throttled: number;
  bannedDrops: number;
  noNode: number;
}

const BAN_TABLE = 'ipban';

/**
 * Flood control over RPC: Pike's current offenders, and a runtime ban list with expiry
 * (Pike alone forgets a source after one quiet sampling unit). Bans live in Kamailio's
 * memory: a Kamailio restart clears them.
 *
 * @example
 * await flood.ban('198.51.100.9', 3600); (await flood.pikeTop()).filter((o) => o.status === 'HOT');
 */
export class FloodControl {
  constructor(private readonly rpc: KamailioRpc) {}

  /** Sources Pike currently tracks (HOT ones are being blocked). */
  async pikeTop(): Promise<PikeOffender[]> {
    const res = (await this.rpc.call('pike.top', ['ALL'], { retryForMs: 0 })) as { list?: unknown[] } | null;
    const out: PikeOffender[] = [];
    for (const item of res?.list ?? []) {
      const r = item as { ip_addr?: unknown; status?: unknown; leaf_hits?: unknown; hits?: unknown };
      if (typeof r.ip_addr !== 'string') continue;
      const hits = Array.isArray(r.leaf_hits) ? r.leaf_hits : Array.isArray(r.hits) ? r.hits : [];
      out.push({ ip: r.ip_addr, status: String(r.status ?? ''), hits: hits.map(Number) });
    }
    return out;
  }

  /** Bans a source for `seconds` (requests from it are dropped silently). */
  async ban(ip: string, seconds: number): Promise<void> {
    if (isIP(ip) === 0) throw new FleetInputError(`invalid ip ${ip}`);
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > 30 * 86_400) {
      throw new FleetInputError('ban seconds must be an integer in 1..2592000');
    }
    await this.rpc.call('htable.setxi', [BAN_TABLE, ip, 1, seconds]);
  }

  /** Lifts a ban; true when there was one. */
  async unban(ip: string): Promise<boolean> {
    if (isIP(ip) === 0) throw new FleetInputError(`invalid ip ${ip}`);
    const had = (await this.bans()).some((b) => b.ip === ip);
    await this.rpc.call('htable.delete', [BAN_TABLE, ip]);
    return had;
  }

  /** Current bans (manual and Pike-triggered). */
  async bans(): Promise<Ban[]> {
    const res = await this.rpc.call('htable.dump', [BAN_TABLE], { retryForMs: 0 });
    const out: Ban[] = [];
    for (const bucket of Array.isArray(res) ? res : []) {
      for (const item of (bucket as { slot?: unknown[] }).slot ?? []) {
        const name = (item as { name?: unknown }).name;
        if (typeof name === 'string') out.push({ ip: name });
      }
    }
    return out;
  }

  /** The edge counters Kamailio keeps (rejected INVITEs, Pike throttles, ban drops, 503s). */
  async counters(): Promise<EdgeCounters> {
    const lines = (await this.rpc.call('stats.get_statistics', ['script:'], { retryForMs: 0 })) as string[];
    const get = (name: string) => {
      const line = (Array.isArray(lines) ? lines : []).find((l) => l.startsWith(`script:${name} =`));
      return line ? Number(line.split('=')[1]) : 0;
    };
    return {
      inviteRejected: get('edge_invite_rejected'),
      throttled: get('edge_throttled'),
      bannedDrops: get('edge_banned_drops'),
      noNode: get('edge_no_node'),
    };
  }
}
