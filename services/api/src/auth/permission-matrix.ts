import type { Role } from './roles.ts';

/** A route anyone may call without a token. */
export const PUBLIC = 'public' as const;

const ALL: readonly Role[] = ['admin', 'ops', 'campaign', 'analyst'];
const OPS: readonly Role[] = ['admin', 'ops'];
const CAMPAIGN: readonly Role[] = ['admin', 'campaign'];
const CAMPAIGN_READ: readonly Role[] = ['admin', 'campaign', 'analyst'];
const FLOWS_WRITE: readonly Role[] = ['admin', 'campaign'];
const ANALYTICS: readonly Role[] = ['admin', 'ops', 'campaign', 'analyst'];

/**
 * The permission matrix: every route id and the roles allowed to call it. This is the one
 * place access is decided; a route whose id is missing here cannot be declared (type error)
 * and the guard refuses any handler without a declared route (fail closed).
 */
export const PERMISSIONS = {
  'docs.html': PUBLIC,
  'docs.openapi': PUBLIC,

  'tokens.create': ['admin'],
  'tokens.list': ['admin'],
  'tokens.revoke': ['admin'],
  'tokens.whoami': ALL,
  'audit.list': ['admin', 'ops'],

  'nodes.list': OPS,
  'nodes.get': OPS,
  'nodes.create': OPS,
  'nodes.update': OPS,
  'nodes.drain': OPS,
  'nodes.activate': OPS,
  'nodes.remove': OPS,
  'nodes.health': OPS,

  'edge.allow.list': OPS,
  'edge.allow.create': OPS,
  'edge.allow.remove': OPS,
  'edge.bans.list': OPS,
  'edge.bans.create': OPS,
  'edge.bans.remove': OPS,
  'edge.pike.view': OPS,

  'campaigns.list': CAMPAIGN_READ,
  'campaigns.get': CAMPAIGN_READ,
  'campaigns.create': CAMPAIGN,
  'campaigns.import': CAMPAIGN,
  'campaigns.import.errors': CAMPAIGN_READ,
  'campaigns.control': CAMPAIGN,
  'campaigns.progress': CAMPAIGN_READ,
  'campaigns.progress.stream': CAMPAIGN_READ,

  'flows.list': ['admin', 'campaign', 'analyst', 'ops'],
  'flows.lint': FLOWS_WRITE,
  'flows.publish': FLOWS_WRITE,
  'flows.graph': ['admin', 'campaign', 'analyst', 'ops'],
  'flows.simulate': FLOWS_WRITE,

  'calls.search': ANALYTICS,
  'calls.timeline': ANALYTICS,
  'calls.kpis': ANALYTICS,
  'calls.funnel': ANALYTICS,
  'calls.export': ['admin', 'analyst'],
  'calls.tail': ANALYTICS,
} as const satisfies Record<string, readonly Role[] | typeof PUBLIC>;

export type RouteId = keyof typeof PERMISSIONS;

/** True when `role` may call route `id`. */
export function isAllowed(id: RouteId, role: Role): boolean {
  const allowed = PERMISSIONS[id];
  return allowed === PUBLIC || (allowed as readonly Role[]).includes(role);
}
