import { Controller, Inject } from '@nestjs/common';
import { TOKENS } from '../app/injection-tokens.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { actorOf, type Principal } from '../auth/roles.ts';
import { ApiError } from '../http/api-error.ts';
import { ApiRoute, type RouteInput } from '../http/api-route.ts';
import { Caller, Input } from '../http/input-decorator.ts';
import { jsonSafe } from '../http/json-safe.ts';
import type { FlowPort } from './flow-port.ts';
import { flowRoutes as R } from './flow-routes.ts';

/** Flows: list, lint, publish (audited), Mermaid graph, simulate. */
@Controller()
export class FlowsController {
  constructor(
    @Inject(TOKENS.flows) private readonly flows: FlowPort,
    @Inject(TOKENS.auditLog) private readonly audit: AuditLog,
  ) {}

  @ApiRoute(R.list)
  async list() {
    return { items: jsonSafe(await this.flows.list()) };
  }

  @ApiRoute(R.lint)
  async lint(@Input() input: RouteInput<typeof R.lint>) {
    const issues = await this.flows.lint(input.body);
    return { ok: issues.length === 0, issues };
  }

  @ApiRoute(R.publish)
  async publish(@Input() input: RouteInput<typeof R.publish>, @Caller() who: Principal) {
    const before = (await this.flows.list()).find((f) => f.id === input.body.id);
    const res = await this.flows.publish(input.body, actorOf(who));
    if (res.created) {
      await this.audit.record({
        actor: actorOf(who),
        action: 'flow.publish',
        entity: 'flow',
        entityId: res.flowId,
        before: before ? { publishedVersion: before.publishedVersion } : null,
        after: { publishedVersion: res.version },
      });
    }
    return res;
  }

  @ApiRoute(R.graph)
  async graph(@Input() input: RouteInput<typeof R.graph>) {
    return { flowId: input.params.id, mermaid: await this.flows.graph(input.params.id) };
  }

  @ApiRoute(R.simulate)
  async simulate(@Input() input: RouteInput<typeof R.simulate>) {
    const { script, at, from, to } = input.body;
    const startAt = at === undefined ? undefined : Date.parse(at);
    if (startAt !== undefined && Number.isNaN(startAt)) throw ApiError.validation([{ path: 'body.at', message: 'not an ISO date-time' }]);
    return this.flows.simulate(input.params.id, { script, startAt, from, to });
  }
}
