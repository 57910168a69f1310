import type { Database, Kysely } from '@switchyard/core';
import { type CompiledFlow, compileFlow } from '../compiler/compile-flow.ts';
import { dataFlowToSpec } from '../data/data-flow-compiler.ts';
import { type DataAction, type DataFlow, parseDataFlow } from '../data/data-flow-schema.ts';
import type { PromptCatalogue } from '../flow/prompt-catalogue.ts';
import { FlowLintError, lintFlow } from '../lint/flow-linter.ts';

/** A published version, as stored. */
export interface PublishedVersion {
  readonly flowId: string;
  readonly version: number;
  /** `false` when the definition equalled the published one and nothing was written. */
  readonly created: boolean;
}

/** Flow-level fields kept in `ivr_flow_versions.definition`; menus live in their own tables. */
interface StoredDefinition {
  readonly entry: string;
  readonly agent: DataFlow['agent'];
  readonly welcomePrompts?: string[];
  readonly hours?: DataFlow['hours'];
  readonly menuExtras: Record<string, { confirm?: boolean; lintExempt?: Record<string, string> }>;
}

/** A flow or version that is not there. */
export class FlowNotFoundError extends Error {
  override readonly name = 'FlowNotFoundError';
}

// Canonical JSON (sorted keys) so "same definition" does not depend on key order.
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

// Menus and options come back from Postgres sorted; compare in that order.
function normalised(f: DataFlow): DataFlow {
  const menus = [...f.menus]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((m) => ({ ...m, options: [...m.options].sort((a, b) => a.digits.localeCompare(b.digits)) }));
  return { ...f, description: f.description || undefined, menus };
}

/**
 * Postgres adapter for data flows: menus in `ivr_menus`/`ivr_menu_options`, flow-level
 * fields in `ivr_flow_versions.definition`, the live version in `ivr_flows.published_version`.
 * Versions are immutable rows; publishing writes a new one and flips the pointer in one
 * transaction, so a running call (holding its CompiledFlow) keeps its version.
 *
 * @example
 * const store = new PgFlowStore(db);
 * await store.publish(json, catalogue);
 * const flow = await store.loadPublished('main', catalogue);
 */
export class PgFlowStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Validates (zod, errors name the field), lints (must pass) and publishes a data flow.
   * Idempotent: publishing the definition that is already live writes nothing.
   */
  async publish(raw: unknown, catalogue: PromptCatalogue, createdBy?: string): Promise<PublishedVersion> {
    const flow = parseDataFlow(raw);
    const issues = lintFlow(dataFlowToSpec(flow, 1), catalogue);
    if (issues.length > 0) throw new FlowLintError(issues);
    return this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('ivr_flows')
        .values({ id: flow.id, name: flow.name, description: flow.description ?? '', source: 'data' })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      // Row lock: concurrent publishes of one flow queue up here and number versions in order.
      const head = await tx.selectFrom('ivr_flows').select('published_version').where('id', '=', flow.id).forUpdate().executeTakeFirstOrThrow();
      if (head.published_version !== null) {
        const live = await this.readVersion(tx, flow.id, head.published_version);
        if (canonical(normalised(live)) === canonical(normalised(flow))) return { flowId: flow.id, version: head.published_version, created: false };
      }
      const max = await tx.selectFrom('ivr_flow_versions').select((eb) => eb.fn.max('version').as('v')).where('flow_id', '=', flow.id).executeTakeFirst();
      const version = Number(max?.v ?? 0) + 1;
      await this.writeVersion(tx, flow, version, createdBy);
      await tx.updateTable('ivr_flow_versions').set({ status: 'retired' }).where('flow_id', '=', flow.id).where('status', '=', 'published').execute();
      await tx.updateTable('ivr_flow_versions').set({ status: 'published', published_at: new Date() }).where('flow_id', '=', flow.id).where('version', '=', version).execute();
      await tx.updateTable('ivr_flows').set({ published_version: version, name: flow.name, updated_at: new Date() }).where('id', '=', flow.id).execute();
      return { flowId: flow.id, version, created: true };
    });
  }

  /** The live version of a flow, compiled. */
  async loadPublished(flowId: string, catalogue: PromptCatalogue): Promise<CompiledFlow> {
    const row = await this.db.selectFrom('ivr_flows').select('published_version').where('id', '=', flowId).executeTakeFirst();
    if (!row || row.published_version === null) throw new FlowNotFoundError(`flow "${flowId}" has no published version`);
    return this.loadVersion(flowId, row.published_version, catalogue);
  }

  /** A specific version, compiled (versions never change once written). */
  async loadVersion(flowId: string, version: number, catalogue: PromptCatalogue): Promise<CompiledFlow> {
    const flow = await this.readVersion(this.db, flowId, version);
    return compileFlow(dataFlowToSpec(flow, version), catalogue);
  }

  /** The prompt catalogue from `ivr_prompts`. */
  async loadCatalogue(): Promise<PromptCatalogue> {
    const rows = await this.db.selectFrom('ivr_prompts').select(['id', 'file_path', 'duration_ms']).execute();
    const out: Record<string, { file: string; durationMs: number }> = {};
    for (const r of rows) out[r.id] = { file: r.file_path, durationMs: r.duration_ms ?? 0 };
    return out;
  }

  /** Writes (upserts) catalogue entries. */
  async savePrompts(catalogue: PromptCatalogue): Promise<void> {
    const values = Object.entries(catalogue).map(([id, m]) => ({ id, file_path: m.file, duration_ms: m.durationMs }));
    if (values.length === 0) return;
    await this.db
      .insertInto('ivr_prompts')
      .values(values)
      .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ file_path: eb.ref('excluded.file_path'), duration_ms: eb.ref('excluded.duration_ms') })))
      .execute();
  }

  private async writeVersion(tx: Kysely<Database>, flow: DataFlow, version: number, createdBy?: string): Promise<void> {
    const def: StoredDefinition = {
      entry: flow.entry,
      agent: flow.agent,
      welcomePrompts: flow.welcomePrompts,
      hours: flow.hours,
      menuExtras: Object.fromEntries(flow.menus.map((m) => [m.id, { confirm: m.confirm, lintExempt: m.lintExempt }])),
    };
    await tx
      .insertInto('ivr_flow_versions')
      .values({ flow_id: flow.id, version, definition: JSON.stringify(def), status: 'draft', created_by: createdBy ?? null })
      .execute();
    await tx
      .insertInto('ivr_menus')
      .values(
        flow.menus.map((m) => ({
          flow_id: flow.id,
          version,
          menu_id: m.id,
          prompt: m.prompt,
          invalid_prompt: m.invalidPrompt ?? null,
          min_digits: m.minDigits,
          max_digits: m.maxDigits,
          terminator: m.terminator ?? null,
          inter_digit_timeout_ms: m.interDigitTimeoutMs ?? null,
          no_input_timeout_ms: m.noInputTimeoutMs ?? null,
          max_retries: m.maxRetries ?? null,
          on_exhausted: m.onExhausted ? JSON.stringify(m.onExhausted) : null,
          parent_menu_id: m.parentMenuId ?? null,
        })),
      )
      .execute();
    await tx
      .insertInto('ivr_menu_options')
      .values(flow.menus.flatMap((m) => m.options.map((o) => ({ flow_id: flow.id, version, menu_id: m.id, digits: o.digits, action: JSON.stringify(o.action) }))))
      .execute();
  }

  private async readVersion(db: Kysely<Database>, flowId: string, version: number): Promise<DataFlow> {
    const head = await db.selectFrom('ivr_flows').select(['name', 'description']).where('id', '=', flowId).executeTakeFirst();
    const v = await db.selectFrom('ivr_flow_versions').select('definition').where('flow_id', '=', flowId).where('version', '=', version).executeTakeFirst();
    if (!head || !v) throw new FlowNotFoundError(`flow "${flowId}" version ${version} does not exist`);
    const def = v.definition as unknown as StoredDefinition;
    const menus = await db.selectFrom('ivr_menus').selectAll().where('flow_id', '=', flowId).where('version', '=', version).orderBy('menu_id').execute();
    const options = await db.selectFrom('ivr_menu_options').selectAll().where('flow_id', '=', flowId).where('version', '=', version).orderBy('digits').execute();
    // Rows go back through the same zod schema, so a hand-edited row fails loudly, naming the field.
    return parseDataFlow({
      id: flowId,
      name: head.name,
      description: head.description || undefined,
      entry: def.entry,
      agent: def.agent,
      welcomePrompts: def.welcomePrompts,
      hours: def.hours,
      menus: menus.map((m) => ({
        id: m.menu_id,
        prompt: m.prompt,
        invalidPrompt: m.invalid_prompt ?? undefined,
        minDigits: m.min_digits,
        maxDigits: m.max_digits,
        terminator: m.terminator ?? undefined,
        interDigitTimeoutMs: m.inter_digit_timeout_ms ?? undefined,
        noInputTimeoutMs: m.no_input_timeout_ms ?? undefined,
        maxRetries: m.max_retries ?? undefined,
        onExhausted: (m.on_exhausted as unknown as DataAction | null) ?? undefined,
        parentMenuId: m.parent_menu_id ?? undefined,
        confirm: def.menuExtras[m.menu_id]?.confirm,
        lintExempt: def.menuExtras[m.menu_id]?.lintExempt,
        options: options.filter((o) => o.menu_id === m.menu_id).map((o) => ({ digits: o.digits, action: o.action as unknown as DataAction })),
      })),
    });
  }
}
