import { type DynamicModule, Module, type Provider, type Type } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuditController } from '../audit/audit-controller.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { AuthGuard } from '../auth/auth-guard.ts';
import { CallsController } from '../calls/calls-controller.ts';
import { CampaignsController } from '../campaigns/campaigns-controller.ts';
import { EdgeController } from '../edge/edge-controller.ts';
import { FleetController } from '../fleet/fleet-controller.ts';
import { FlowsController } from '../flows/flows-controller.ts';
import type { RateLimiter } from '../auth/rate-limiter.ts';
import type { TokenRepository } from '../auth/token-repository.ts';
import type { DrainController } from '@switchyard/core/http';
import { routeSpecsOf } from '../http/api-route.ts';
import { ValidationInterceptor } from '../http/validation-interceptor.ts';
import { DocsController } from '../openapi/docs-controller.ts';
import { TokensController } from '../tokens/tokens-controller.ts';
import type { ApiPorts } from './api-ports.ts';
import { TOKENS } from './injection-tokens.ts';

export interface ApiModuleDeps {
  tokens: TokenRepository;
  audit: AuditLog;
  limiter: RateLimiter;
  ports: ApiPorts;
  drain: DrainController;
}

/** The controllers mounted for a set of ports: auth, audit and docs always; a domain only with its port. */
export function controllersFor(ports: ApiPorts): Type[] {
  const list: Type[] = [DocsController, TokensController, AuditController];
  if (ports.fleet) list.push(FleetController);
  if (ports.edge) list.push(EdgeController);
  if (ports.calls) list.push(CallsController);
  if (ports.flows) list.push(FlowsController);
  if (ports.campaigns) list.push(CampaignsController);
  return list;
}

/** Nest only wires: every provider is a plain object built outside. */
@Module({})
export class ApiModule {
  static forRoot(deps: ApiModuleDeps): DynamicModule {
    const controllers = controllersFor(deps.ports);
    const providers: Provider[] = [
      { provide: TOKENS.tokenRepository, useValue: deps.tokens },
      { provide: TOKENS.auditLog, useValue: deps.audit },
      { provide: TOKENS.rateLimiter, useValue: deps.limiter },
      { provide: TOKENS.drain, useValue: deps.drain },
      { provide: TOKENS.fleet, useValue: deps.ports.fleet ?? null },
      { provide: TOKENS.edge, useValue: deps.ports.edge ?? null },
      { provide: TOKENS.calls, useValue: deps.ports.calls ?? null },
      { provide: TOKENS.flows, useValue: deps.ports.flows ?? null },
      { provide: TOKENS.campaigns, useValue: deps.ports.campaigns ?? null },
      { provide: TOKENS.routeSpecs, useValue: controllers.flatMap((c) => routeSpecsOf(c)) },
      { provide: APP_GUARD, useClass: AuthGuard },
      { provide: APP_INTERCEPTOR, useClass: ValidationInterceptor },
    ];
    return { module: ApiModule, controllers, providers };
  }
}
