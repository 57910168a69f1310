import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import { ApiError, type FieldError, fieldErrors } from './api-error.ts';
import type { ApiRequest } from './request-context.ts';

/**
 * Parses params, query and body with the route's zod schemas (400 with field-level
 * messages) and puts the result on `req.input`; parses JSON answers with the response
 * schema so nothing undeclared leaks out and the OpenAPI document stays true.
 */
@Injectable()
export class ValidationInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<ApiRequest>();
    const spec = req.routeSpec;
    if (!spec) throw new ApiError(500, 'route_undeclared', 'handler has no route spec');
    const fields: FieldError[] = [];
    const parse = (where: string, schema: { safeParse(v: unknown): { success: boolean; data?: unknown; error?: unknown } } | undefined, value: unknown) => {
      if (!schema) return where === 'body' ? undefined : {};
      const r = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
      if (r.success) return r.data;
      fields.push(...fieldErrors(where, r.error as never));
      return undefined;
    };
    const input = {
      params: parse('params', spec.params, req.params),
      query: parse('query', spec.query, req.query),
      body: parse('body', spec.body, req.body),
    };
    if (fields.length > 0) throw ApiError.validation(fields);
    req.input = input;
    const response = spec.response;
    if (!response) return next.handle();
    return next.handle().pipe(map((out: unknown) => response.parse(out)));
  }
}
