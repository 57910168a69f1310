import type { Database, Kysely } from '@switchyard/core';
import type { CampaignPort, CampaignView, ImportSummary } from './campaign-port.ts';

// The parts of @switchyard/dialer this port uses, declared here so the API depends on the
// smallest surface (and can tell whether the library exports it yet).
interface CampaignServiceLike {
  create(input: never, actor: string): Promise<CampaignView>;
  get(id: string): Promise<CampaignView>;
  start(id: string, actor: string): Promise<CampaignView>;
  pause(id: string, actor: string): Promise<CampaignView>;
  resume(id: string, actor: string): Promise<CampaignView>;
  stop(id: string, actor: string): Promise<CampaignView>;
  counts(id: string): Promise<object>;
}
interface DialerLibrary {
  asDialerDb(db: Kysely<Database>): unknown;
  CampaignService: new (db: unknown) => CampaignServiceLike;
  ContactImporter: new (db: unknown) => {
    import(campaignId: string, source: AsyncIterable<Uint8Array>, opts: { defaultCountry?: string }): Promise<ImportSummary>;
  };
  importErrorReport(db: unknown, importId: string): AsyncIterable<string>;
  /** Optional: live figures the running dialers publish in Redis. */
  LiveProgressStore?: new (
    redis: unknown,
    key: (campaignId: string) => string,
  ) => { read(campaignId: string): Promise<{ inFlight: number; ratePerSec: number; abandonFactor: number; dialers: number }> };
}

/** Where the dialers publish live progress (`redisKeys().campaignProgress`). */
export interface LiveProgressSource {
  redis: unknown;
  key: (campaignId: string) => string;
}

/** True when `lib` (the imported `@switchyard/dialer` module) exports what the port needs. */
export function isDialerLibrary(lib: Record<string, unknown>): boolean {
  return ['asDialerDb', 'CampaignService', 'ContactImporter', 'importErrorReport'].every((k) => typeof lib[k] === 'function');
}

/** {@link CampaignPort} over `@switchyard/dialer` (which validates and audits changes itself). */
export function dialerCampaignPort(lib: Record<string, unknown>, db: Kysely<Database>, liveSource?: LiveProgressSource): CampaignPort {
  const d = lib as unknown as DialerLibrary;
  const ddb = d.asDialerDb(db);
  const svc = new d.CampaignService(ddb);
  const importer = new d.ContactImporter(ddb);
  const live = liveSource && d.LiveProgressStore ? new d.LiveProgressStore(liveSource.redis, liveSource.key) : null;
  return {
    async list() {
      const ids = await db.selectFrom('campaigns').select('id').orderBy('id', 'desc').limit(500).execute();
      return Promise.all(ids.map((r) => svc.get(String(r.id))));
    },
    get: (id) => svc.get(id),
    create: (input, actor) => svc.create(input as never, actor),
    control: (id, action, actor) => svc[action](id, actor),
    async progress(id) {
      const counts = (await svc.counts(id)) as Record<string, number | string>;
      // Live figures are best effort: Redis away leaves the stored counts.
      const l = await live?.read(id).catch(() => null);
      return l ? { ...counts, inFlight: l.inFlight, ratePerSec: l.ratePerSec, abandonFactor: l.abandonFactor, dialers: l.dialers } : counts;
    },
    importContacts: (id, csv, opts) => importer.import(id, csv, opts),
    importErrors: (importId) => d.importErrorReport(ddb, importId),
  };
}
