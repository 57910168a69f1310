import { createHash, randomBytes } from 'node:crypto';

const TOKEN_PREFIX = 'sy_';

/** A new random bearer token (shown once) with its display prefix and its SHA-256 hash (stored). */
export function generateApiToken(): { token: string; prefix: string; hash: string } {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, prefix: token.slice(0, 10), hash: hashApiToken(token) };
}

/** SHA-256 hex of a clear token: the only form stored. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Extracts the token from an `Authorization: Bearer …` header, or null when absent or malformed. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const token = m?.[1];
  return token?.startsWith(TOKEN_PREFIX) && token.length <= 200 ? token : null;
}
