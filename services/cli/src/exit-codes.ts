/** What the CLI's exit status means, for scripts. */
export const EXIT = {
  ok: 0,
  /** The command ran but found problems (lint findings, import rows rejected). */
  findings: 1,
  usage: 2,
  /** 401/403: no token, a bad token, or a role that may not do this. */
  auth: 3,
  notFound: 4,
  /** 409: the thing is in a state that forbids this (drain a node that is not active...). */
  conflict: 5,
  /** 400/422: the input was refused; the fields are printed. */
  invalid: 6,
  /** The API (or what it depends on) is down or failed; worth a retry. */
  unavailable: 7,
  rateLimited: 8,
} as const;

/** Exit status for an HTTP error status. */
export function exitForStatus(status: number): number {
  if (status === 401 || status === 403) return EXIT.auth;
  if (status === 404) return EXIT.notFound;
  if (status === 409) return EXIT.conflict;
  if (status === 400 || status === 422 || status === 413) return EXIT.invalid;
  if (status === 429) return EXIT.rateLimited;
  return EXIT.unavailable;
}
