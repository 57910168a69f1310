import { ApiError } from './api-error.ts';

// Domain libraries throw their own error classes; the API maps them by name so it needs
// no import of any library to answer with the right status.
const BY_NAME: Record<string, (message: string, err: Error & { issues?: unknown }) => ApiError> = {
  FleetInputError: (m) =>
    /^unknown node/.test(m)
      ? new ApiError(404, 'not_found', m)
      : /^invalid/.test(m)
        ? new ApiError(400, 'validation_failed', m)
        : new ApiError(409, 'conflict', m),
  CampaignNotFoundError: (m) => new ApiError(404, 'not_found', m),
  CampaignTransitionError: (m) => new ApiError(409, 'conflict', m),
  ImportFormatError: (m) => new ApiError(400, 'bad_import', m),
  AnalyticsInputError: (m) => new ApiError(400, 'validation_failed', m),
  FlowLintError: (m) => new ApiError(422, 'flow_lint_failed', m),
  FlowCompileError: (m) => new ApiError(422, 'flow_invalid', m),
  // Lines after the first are `field.path: message`.
  DataFlowValidationError: (m) =>
    ApiError.validation(
      m
        .split('\n')
        .slice(1)
        .map((l) => {
          const i = l.indexOf(': ');
          return i > 0 ? { path: `body.${l.slice(0, i)}`, message: l.slice(i + 2) } : { path: 'body', message: l };
        }),
    ),
  FlowNotFoundError: (m) => new ApiError(404, 'not_found', m),
  KamailioRpcError: (m) => new ApiError(502, 'kamailio_unavailable', m),
  // A library that validates with zod itself: field errors relative to the body.
  ZodError: (m, e) =>
    Array.isArray(e.issues)
      ? ApiError.validation(
          (e.issues as { path: PropertyKey[]; message: string }[]).map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message })),
        )
      : new ApiError(400, 'validation_failed', m),
};

// Constraint violations a library let through: the caller named something missing or taken.
const PG_CODES: Record<string, (e: { detail?: string; message: string }) => ApiError> = {
  '23503': (e) => new ApiError(409, 'reference_missing', e.detail ?? e.message),
  '23505': (e) => new ApiError(409, 'conflict', e.detail ?? e.message),
  '23514': (e) => new ApiError(400, 'validation_failed', e.message),
};

/** The ApiError for a known domain error, or null. */
export function mapDomainError(err: unknown): ApiError | null {
  if (!(err instanceof Error)) return null;
  const pg = err as Error & { code?: unknown; detail?: string };
  if ('severity' in err && typeof pg.code === 'string' && PG_CODES[pg.code]) return PG_CODES[pg.code]!(pg);
  const map = BY_NAME[err.name];
  return map ? map(err.message, err) : null;
}
