import { Controller, Inject } from '@nestjs/common';
import { TOKENS } from '../app/injection-tokens.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { actorOf, type Principal } from '../auth/roles.ts';
import { ApiRoute, type RouteInput } from '../http/api-route.ts';
import { Caller, Input } from '../http/input-decorator.ts';
import type { EdgePort } from './edge-port.ts';
import { edgeRoutes as R } from './edge-routes.ts';

/** Edge: allow-list, bans, Pike view. Every change is audited. */
@Controller()
export class EdgeController {
  constructor(
    @Inject(TOKENS.edge) private readonly edge: EdgePort,
    @Inject(TOKENS.auditLog) private readonly audit: AuditLog,
  ) {}

  @ApiRoute(R.allowList)
  async allowList() {
    return { items: await this.edge.allow.list() };
  }

  @ApiRoute(R.allowCreate)
  async allowCreate(@Input() input: RouteInput<typeof R.allowCreate>, @Caller() who: Principal) {
    const entry = await this.edge.allow.add(input.body);
    await this.record(who, 'allow.add', 'allow_entry', String(entry.id), null, entry);
    return entry;
  }

  @ApiRoute(R.allowRemove)
  async allowRemove(@Input() input: RouteInput<typeof R.allowRemove>, @Caller() who: Principal) {
    const before = (await this.edge.allow.list()).find((e) => e.id === input.params.id) ?? null;
    const removed = await this.edge.allow.remove(input.params.id);
    if (removed) await this.record(who, 'allow.remove', 'allow_entry', String(input.params.id), before, null);
    return { removed };
  }

  @ApiRoute(R.bansList)
  async bans() {
    return { items: await this.edge.flood.bans() };
  }

  @ApiRoute(R.bansCreate)
  async ban(@Input() input: RouteInput<typeof R.bansCreate>, @Caller() who: Principal) {
    await this.edge.flood.ban(input.body.ip, input.body.seconds);
    await this.record(who, 'ban.add', 'ban', input.body.ip, null, input.body);
    return input.body;
  }

  @ApiRoute(R.bansRemove)
  async unban(@Input() input: RouteInput<typeof R.bansRemove>, @Caller() who: Principal) {
    const removed = await this.edge.flood.unban(input.params.ip);
    if (removed) await this.record(who, 'ban.remove', 'ban', input.params.ip, { ip: input.params.ip }, null);
    return { removed };
  }

  @ApiRoute(R.pike)
  async pike() {
    return { items: await this.edge.flood.pikeTop() };
  }

  private record(who: Principal, action: string, entity: string, entityId: string, before: unknown, after: unknown) {
    return this.audit.record({ actor: actorOf(who), action, entity, entityId, before, after });
  }
}
