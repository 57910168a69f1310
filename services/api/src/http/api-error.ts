import { z } from 'zod';

/** One field-level problem: a dotted path into the request (`body.weight`) and a message. */
export interface FieldError {
  path: string;
  message: string;
}

/** The one error shape every non-2xx answer carries. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/**
 * An error with an HTTP status and a stable code, thrown by handlers and ports alike.
 *
 * @example
 * throw ApiError.notFound('node', 'fs1');
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static validation(fields: FieldError[]): ApiError {
    return new ApiError(400, 'validation_failed', 'the request is invalid', fields);
  }
  static unauthorized(message = 'a valid bearer token is required'): ApiError {
    return new ApiError(401, 'unauthorized', message, undefined, { 'www-authenticate': 'Bearer' });
  }
  static forbidden(role: string, route: string): ApiError {
    return new ApiError(403, 'forbidden', `role ${role} may not call ${route}`);
  }
  static notFound(entity: string, id: string): ApiError {
    return new ApiError(404, 'not_found', `${entity} ${id} not found`);
  }
  static conflict(message: string): ApiError {
    return new ApiError(409, 'conflict', message);
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) } };
  }
}

/** Field errors from a zod error, prefixed with where in the request they are (`body`, `query`, `params`). */
export function fieldErrors(where: string, err: z.ZodError): FieldError[] {
  return err.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
}
