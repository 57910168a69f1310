import type { Database, Kysely } from '@switchyard/core';
import type { CodeFlow, CompiledFlow, PromptCatalogue } from '@switchyard/ivr';
import { PgFlowStore } from '@switchyard/ivr';
import type { FlowSource } from '../session/flow-ports.ts';

/** The part of an ioredis subscriber used for flow-change notices. */
export interface FlowSubscriber {
  subscribe(channel: string): Promise<unknown>;
  on(event: 'message', fn: (channel: string, message: string) => void): unknown;
}

/** Options of {@link FlowCatalog}. */
export interface FlowCatalogOptions {
  /** Code flows (`@switchyard/ivr-flows`), compiled once. */
  codeFlows?: Readonly<Record<string, CodeFlow>>;
  /** Published data flows come from here when set. */
  db?: Kysely<Database>;
  subscriber?: FlowSubscriber;
  /** `redisKeys().flowsChanged()`. */
  channel?: string;
  onError?(err: unknown): void;
}

/**
 * Compiled flows by id, in memory: code flows plus the published version of every data
 * flow, reloaded when a publish is announced on Redis. A call keeps the CompiledFlow it
 * started with, so a publish never changes a running call.
 */
export class FlowCatalog implements FlowSource<CompiledFlow> {
  private flows = new Map<string, CompiledFlow>();
  private readonly code = new Map<string, CompiledFlow>();
  private reloading: Promise<void> | null = null;

  constructor(private readonly o: FlowCatalogOptions) {
    for (const [id, f] of Object.entries(o.codeFlows ?? {})) this.code.set(id, f.compile());
    this.flows = new Map(this.code);
  }

  async start(): Promise<void> {
    if (this.o.subscriber && this.o.channel) {
      const ch = this.o.channel;
      this.o.subscriber.on('message', (c) => {
        if (c === ch) void this.reload();
      });
      await this.o.subscriber.subscribe(ch);
    }
    await this.reload();
  }

  get(flowId: string): CompiledFlow | undefined {
    return this.flows.get(flowId);
  }

  /** Adds or replaces a flow in memory (tests, code flows registered late). */
  put(flow: CompiledFlow): void {
    this.code.set(flow.id, flow);
    this.flows.set(flow.id, flow);
  }

  ids(): string[] {
    return [...this.flows.keys()];
  }

  /** Reloads published data flows (coalesced). */
  reload(): Promise<void> {
    this.reloading ??= this.load()
      .catch((err) => this.o.onError?.(err))
      .finally(() => {
        this.reloading = null;
      });
    return this.reloading;
  }

  private async load(): Promise<void> {
    const db = this.o.db;
    if (!db) return;
    const store = new PgFlowStore(db);
    const catalogue: PromptCatalogue = await store.loadCatalogue();
    const rows = await db.selectFrom('ivr_flows').select(['id']).where('source', '=', 'data').where('published_version', 'is not', null).execute();
    const next = new Map(this.code);
    for (const r of rows) {
      try {
        next.set(r.id, await store.loadPublished(r.id, catalogue));
      } catch (err) {
        this.o.onError?.(err);
      }
    }
    this.flows = next;
  }
}
