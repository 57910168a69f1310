import type { CampaignInput } from './campaign/campaign-input.ts';
import type { Campaign } from './campaign/campaign-record.ts';
import { type CampaignCounts, CampaignService } from './campaign/campaign-service.ts';
import { ContactImporter, type ImportOptions, type ImportSummary } from './contacts/contact-importer.ts';
import { importErrorReport, importStatus } from './contacts/import-report.ts';
import type { DialerDb } from './db/dialer-schema.ts';
import { DncService } from './dnc/dnc-service.ts';
import type { LiveProgress, LiveProgressStore } from './progress/live-progress-store.ts';

/** Stored counts plus live figures across dialer processes. */
export interface CampaignProgress extends CampaignCounts {
  live: LiveProgress;
}

/**
 * The dialer's public surface for the API: campaigns, contact import, DNC and progress.
 * Every method validates its input and throws a named error (ZodError, CampaignNotFoundError,
 * CampaignTransitionError, BadNumberError, ImportFormatError) — never a crash.
 *
 * @example
 * const d = new DialerService(db, liveStore);
 * const c = await d.create({ name: 'renewals', flowId: 'renewal', callerId: '+442071234567', gateway: 'gw1', allowedPrefixes: ['+44'] }, 'alice');
 * await d.importContacts(c.id, req, { defaultCountry: 'GB' });
 * await d.start(c.id, 'alice');
 * const p = await d.progress(c.id);
 */
export class DialerService {
  readonly campaigns: CampaignService;
  readonly dnc: DncService;
  private readonly importer: ContactImporter;

  constructor(
    private readonly db: DialerDb,
    private readonly live: LiveProgressStore | null = null,
  ) {
    this.campaigns = new CampaignService(db);
    this.dnc = new DncService(db);
    this.importer = new ContactImporter(db);
  }

  create(input: CampaignInput, actor: string): Promise<Campaign> {
    return this.campaigns.create(input, actor);
  }
  get(id: string): Promise<Campaign> {
    return this.campaigns.get(id);
  }
  /** Streams a CSV body (any async iterable of chunks, e.g. an HTTP request) into contacts. */
  async importContacts(campaignId: string, csv: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>, opts?: ImportOptions): Promise<ImportSummary> {
    await this.campaigns.get(campaignId); // clear error for an unknown campaign
    return this.importer.import(campaignId, csv, opts);
  }
  /** The import job's status and counts. */
  importStatus(importId: string) {
    return importStatus(this.db, importId);
  }
  /** The per-row error report as CSV lines (stream it to the client). */
  importErrors(importId: string): AsyncGenerator<string> {
    return importErrorReport(this.db, importId);
  }
  start(id: string, actor: string): Promise<Campaign> {
    return this.campaigns.start(id, actor);
  }
  pause(id: string, actor: string): Promise<Campaign> {
    return this.campaigns.pause(id, actor);
  }
  resume(id: string, actor: string): Promise<Campaign> {
    return this.campaigns.resume(id, actor);
  }
  stop(id: string, actor: string, opts?: { hangupInFlight?: boolean }): Promise<Campaign> {
    return this.campaigns.stop(id, actor, opts);
  }
  async progress(id: string): Promise<CampaignProgress> {
    const [counts, live] = await Promise.all([
      this.campaigns.counts(id),
      this.live?.read(id) ?? Promise.resolve({ inFlight: 0, ratePerSec: 0, abandonFactor: 1, dialers: 0 }),
    ]);
    return { ...counts, live };
  }
  /** Adds to the global list, or a campaign's list with `campaignId`. Lands at once. */
  dncAdd(phone: string, opts?: { campaignId?: string; reason?: string; source?: string; defaultCountry?: string }) {
    return this.dnc.add(phone, opts);
  }
  dncRemove(phone: string, opts?: { campaignId?: string; defaultCountry?: string }): Promise<boolean> {
    return this.dnc.remove(phone, opts);
  }
}
