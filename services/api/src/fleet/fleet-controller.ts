import { Controller, Inject } from '@nestjs/common';
import { TOKENS } from '../app/injection-tokens.ts';
import { audited } from '../audit/audited.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Principal } from '../auth/roles.ts';
import { ApiRoute, type RouteInput } from '../http/api-route.ts';
import { Caller, Input } from '../http/input-decorator.ts';
import { jsonSafe } from '../http/json-safe.ts';
import type { FleetNode, FleetPort } from './fleet-port.ts';
import { fleetRoutes as R } from './fleet-routes.ts';

/** Fleet: list, add, reweight, drain, resume, remove, health. Every change is audited. */
@Controller()
export class FleetController {
  constructor(
    @Inject(TOKENS.fleet) private readonly fleet: FleetPort,
    @Inject(TOKENS.auditLog) private readonly audit: AuditLog,
  ) {}

  @ApiRoute(R.list)
  async list(@Input() input: RouteInput<typeof R.list>) {
    return { items: jsonSafe(await this.fleet.list({ includeRemoved: input.query.includeRemoved === 'true' })) };
  }

  @ApiRoute(R.get)
  async get(@Input() input: RouteInput<typeof R.get>) {
    return jsonSafe(await this.fleet.view(input.params.name));
  }

  @ApiRoute(R.create)
  async create(@Input() input: RouteInput<typeof R.create>, @Caller() who: Principal) {
    const node = await audited(this.audit, who, { action: 'node.add', entity: 'node', entityId: input.body.name }, async () => null, () =>
      this.fleet.addNode(input.body).then(jsonSafe),
    );
    return node;
  }

  @ApiRoute(R.update)
  async update(@Input() input: RouteInput<typeof R.update>, @Caller() who: Principal) {
    return this.change(who, 'node.weight', input.params.name, () => this.fleet.setWeight(input.params.name, input.body.weight));
  }

  @ApiRoute(R.drain)
  async drain(@Input() input: RouteInput<typeof R.drain>, @Caller() who: Principal) {
    return this.change(who, 'node.drain', input.params.name, () => this.fleet.drain(input.params.name));
  }

  @ApiRoute(R.activate)
  async resume(@Input() input: RouteInput<typeof R.activate>, @Caller() who: Principal) {
    return this.change(who, 'node.resume', input.params.name, () => this.fleet.resume(input.params.name));
  }

  @ApiRoute(R.remove)
  async remove(@Input() input: RouteInput<typeof R.remove>, @Caller() who: Principal) {
    const force = input.query.force === 'true';
    return this.change(who, 'node.remove', input.params.name, () => this.fleet.remove(input.params.name, { force }));
  }

  @ApiRoute(R.health)
  async health() {
    const nodes = await this.fleet.list();
    const byState: Record<string, number> = {};
    for (const n of nodes) byState[n.state] = (byState[n.state] ?? 0) + 1;
    return {
      nodes: nodes.length,
      byState,
      sipUp: nodes.filter((n) => n.sip?.state === 'active').length,
      eslUp: nodes.filter((n) => n.eslUp).length,
      inFlightCalls: nodes.reduce((a, n) => a + n.inFlightCalls, 0),
    };
  }

  private change(who: Principal, action: string, name: string, fn: () => Promise<FleetNode>) {
    return audited(
      this.audit,
      who,
      { action, entity: 'node', entityId: name },
      () => this.fleet.view(name).then(jsonSafe),
      () => fn().then(jsonSafe),
    );
  }
}
