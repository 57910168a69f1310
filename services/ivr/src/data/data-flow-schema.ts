import { z } from 'zod';

const id = z.string().regex(/^[a-z][a-z0-9_]{0,40}$/, 'must be lower-case letters, digits or _, starting with a letter');
const promptId = z.string().min(1).max(120);
const keys = z.string().regex(/^[0-9*#]{1,8}$/, 'must be 1-8 keys from 0-9 * #');

const transferTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sip'), uri: z.string().regex(/^sips?:[^\s]+$/, 'must be a sip: URI') }),
  z.object({ kind: z.literal('queue'), queue: z.string().min(1).max(80) }),
  z.object({ kind: z.literal('flow'), flowId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/) }),
]);

/** What pressing a key (or running out of retries) does in a data flow. */
export type DataAction =
  | { type: 'menu'; menu: string }
  | { type: 'back' }
  | { type: 'agent' }
  | { type: 'transfer'; target: z.infer<typeof transferTarget> }
  | { type: 'hangup'; disposition: string; prompts?: string[] }
  | { type: 'play'; prompts: string[]; next: DataAction }
  | {
      type: 'lookup';
      name: string;
      args?: Record<string, string>;
      timeoutMs: number;
      irreversible?: boolean;
      say?: { as: 'digits' | 'number' | 'date'; value: string };
      next: DataAction;
      fallback: DataAction;
    };

/** zod schema of {@link DataAction}. */
export const dataActionSchema: z.ZodType<DataAction> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('menu'), menu: id }),
    z.object({ type: z.literal('back') }),
    z.object({ type: z.literal('agent') }),
    z.object({ type: z.literal('transfer'), target: transferTarget }),
    z.object({ type: z.literal('hangup'), disposition: z.string().min(1).max(60), prompts: z.array(promptId).optional() }),
    z.object({ type: z.literal('play'), prompts: z.array(promptId).min(1), next: dataActionSchema }),
    z.object({
      type: z.literal('lookup'),
      name: z.string().regex(/^[a-z][a-z0-9_.-]{0,60}$/),
      args: z.record(z.string(), z.string()).optional(),
      timeoutMs: z.number().int().min(50).max(30_000),
      irreversible: z.boolean().optional(),
      say: z.object({ as: z.enum(['digits', 'number', 'date']), value: z.string() }).optional(),
      next: dataActionSchema,
      fallback: dataActionSchema,
    }),
  ]),
);

const lintExempt = z.record(z.string(), z.string()).optional();

/** One menu of a data flow (a row of `ivr_menus` plus its `ivr_menu_options`). */
export const dataMenuSchema = z.object({
  id,
  prompt: promptId,
  invalidPrompt: promptId.optional(),
  minDigits: z.number().int().min(1).max(32).default(1),
  maxDigits: z.number().int().min(1).max(32).default(1),
  terminator: z.enum(['#', '*']).optional(),
  interDigitTimeoutMs: z.number().int().min(1).max(60_000).optional(),
  noInputTimeoutMs: z.number().int().min(1).max(60_000).optional(),
  maxRetries: z.number().int().min(0).max(20).optional(),
  onExhausted: dataActionSchema.optional(),
  parentMenuId: id.optional(),
  confirm: z.boolean().optional(),
  lintExempt,
  options: z.array(z.object({ digits: keys, action: dataActionSchema })).min(1),
});

/** A flow authored as data: menu trees, an agent target, optional opening hours. */
export const dataFlowSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must match ^[a-z0-9][a-z0-9_-]{0,62}$'),
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    entry: id,
    /** Where option 0, `agent` actions and exhausted retries (by default) go. */
    agent: transferTarget,
    welcomePrompts: z.array(promptId).optional(),
    hours: z
      .object({
        tz: z.string().min(1),
        days: z.array(z.number().int().min(1).max(7)).min(1),
        open: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM'),
        close: z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'must be HH:MM'),
        closedPrompts: z.array(promptId).min(1),
        closedAction: dataActionSchema,
      })
      .optional(),
    menus: z.array(dataMenuSchema).min(1),
  })
  .superRefine((f, ctx) => {
    const ids = new Set<string>();
    f.menus.forEach((m, i) => {
      if (ids.has(m.id)) ctx.addIssue({ code: 'custom', path: ['menus', i, 'id'], message: `duplicate menu id "${m.id}"` });
      if (m.id.startsWith('x_') || m.id === 'start' || m.id === 'agent' || m.id === 'closed') {
        ctx.addIssue({ code: 'custom', path: ['menus', i, 'id'], message: `menu id "${m.id}" is reserved` });
      }
      ids.add(m.id);
      const seen = new Set<string>();
      m.options.forEach((o, j) => {
        if (seen.has(o.digits)) ctx.addIssue({ code: 'custom', path: ['menus', i, 'options', j, 'digits'], message: `duplicate option "${o.digits}"` });
        seen.add(o.digits);
      });
    });
    if (!ids.has(f.entry)) ctx.addIssue({ code: 'custom', path: ['entry'], message: `no menu "${f.entry}"` });
    f.menus.forEach((m, i) => {
      if (m.parentMenuId && !ids.has(m.parentMenuId)) {
        ctx.addIssue({ code: 'custom', path: ['menus', i, 'parentMenuId'], message: `no menu "${m.parentMenuId}"` });
      }
    });
  });

/** A validated data flow. */
export type DataFlow = z.infer<typeof dataFlowSchema>;
/** One validated menu. */
export type DataMenu = z.infer<typeof dataMenuSchema>;

/** A data flow that failed validation; each line names the field (`menus[2].options[0].digits: ...`). */
export class DataFlowValidationError extends Error {
  override readonly name = 'DataFlowValidationError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid data flow:\n${problems.join('\n')}`);
  }
}

function fieldPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? String(p) : `.${String(p)}`;
  return s || '(root)';
}

/** Validates raw input (JSON from the API, rows from Postgres) into a {@link DataFlow}. */
export function parseDataFlow(raw: unknown): DataFlow {
  const r = dataFlowSchema.safeParse(raw);
  if (r.success) return r.data;
  throw new DataFlowValidationError(r.error.issues.map((i) => `${fieldPath(i.path)}: ${i.message}`));
}
