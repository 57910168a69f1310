/** Nest injection tokens (tsx emits no decorator metadata, so every injection names one). */
export const TOKENS = {
  tokenRepository: Symbol('TokenRepository'),
  auditLog: Symbol('AuditLog'),
  rateLimiter: Symbol('RateLimiter'),
  routeSpecs: Symbol('RouteSpecs'),
  drain: Symbol('DrainController'),
  fleet: Symbol('FleetPort'),
  edge: Symbol('EdgePort'),
  campaigns: Symbol('CampaignPort'),
  flows: Symbol('FlowPort'),
  calls: Symbol('CallsPort'),
} as const;
