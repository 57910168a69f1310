import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { TOKENS } from '../app/injection-tokens.ts';
import { ApiError } from '../http/api-error.ts';
import { ROUTE_SPEC, type RouteSpec } from '../http/api-route.ts';
import type { ApiRequest } from '../http/request-context.ts';
import { bearerToken } from './api-token.ts';
import { isAllowed, PERMISSIONS, PUBLIC } from './permission-matrix.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { TokenRepository } from './token-repository.ts';

/**
 * Every request: find the route's spec (none → refuse), authenticate the bearer token
 * (401), check the role against the permission matrix (403), then count it against the
 * token's rate limit (429 with Retry-After).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(TOKENS.tokenRepository) private readonly tokens: TokenRepository,
    @Inject(TOKENS.rateLimiter) private readonly limiter: RateLimiter,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<ApiRequest>();
    const res = ctx.switchToHttp().getResponse<ServerResponse>();
    const spec = Reflect.getMetadata(ROUTE_SPEC, ctx.getHandler()) as RouteSpec | undefined;
    if (!spec) throw new ApiError(500, 'route_undeclared', 'handler has no route spec');
    req.routeSpec = spec;
    if (PERMISSIONS[spec.id] === PUBLIC) return true;

    const token = bearerToken(req.headers.authorization);
    if (!token) throw ApiError.unauthorized();
    const principal = await this.tokens.authenticate(token);
    if (!principal) throw ApiError.unauthorized('the token is unknown or revoked');
    req.principal = principal;
    if (!isAllowed(spec.id, principal.role)) throw ApiError.forbidden(principal.role, spec.id);

    const rate = await this.limiter.hit(principal.tokenId);
    res.setHeader('x-ratelimit-limit', String(rate.limit));
    res.setHeader('x-ratelimit-remaining', String(rate.remaining));
    if (!rate.allowed) {
      throw new ApiError(429, 'rate_limited', 'too many requests for this token', undefined, {
        'retry-after': String(Math.ceil(rate.resetMs / 1000)),
      });
    }
    return true;
  }
}
