import { z } from 'zod';

/** The four API roles. */
export const ROLES = ['admin', 'ops', 'campaign', 'analyst'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

/** Who made a request: the token's id, name and role. */
export interface Principal {
  tokenId: string;
  name: string;
  role: Role;
}

/** How a principal appears in the audit log. */
export function actorOf(p: Principal): string {
  return `token:${p.tokenId}:${p.name}`;
}
