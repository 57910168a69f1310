/** A campaign as the dialer reports it. */
export interface CampaignView {
  id: string;
  name: string;
  flowId: string;
  state: string;
  [setting: string]: unknown;
}

export interface ImportSummary {
  importId: string;
  totalRows: number;
  imported: number;
  failed: number;
}

export type CampaignAction = 'start' | 'pause' | 'resume' | 'stop';

/**
 * Campaigns behind the API (implemented over `@switchyard/dialer`, which validates input
 * and audits creation and every state change itself, in the same transaction).
 * Implementations throw ZodError (400), CampaignNotFoundError (404),
 * CampaignTransitionError (409) and ImportFormatError (400).
 */
export interface CampaignPort {
  list(): Promise<CampaignView[]>;
  get(id: string): Promise<CampaignView>;
  create(input: unknown, actor: string): Promise<CampaignView>;
  control(id: string, action: CampaignAction, actor: string): Promise<CampaignView>;
  /** Stored progress: counts by contact state and outcome, abandon rate vs budget. */
  progress(id: string): Promise<Record<string, number | string>>;
  /** Streams a CSV into the campaign's contacts; bad rows go to the import's error report. */
  importContacts(id: string, csv: AsyncIterable<Uint8Array>, opts: { defaultCountry?: string }): Promise<ImportSummary>;
  /** The per-row error report of one import, as CSV chunks (header first). */
  importErrors(importId: string): AsyncIterable<string>;
}
