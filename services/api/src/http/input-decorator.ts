import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { ApiRequest } from './request-context.ts';

/** The validated request (`{ params, query, body }`), typed by the handler as `RouteInput<typeof spec>`. */
export const Input = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  return ctx.switchToHttp().getRequest<ApiRequest>().input;
});

/** The authenticated principal (undefined on public routes). */
export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  return ctx.switchToHttp().getRequest<ApiRequest>().principal;
});
