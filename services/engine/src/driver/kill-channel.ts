/** Thrown when FreeSWITCH refuses to end a channel that still exists. */
export class ChannelKillError extends Error {
  override readonly name = 'ChannelKillError';
}

/**
 * `uuid_kill <uuid> <cause>`. A channel that is already gone counts as ended (hangups
 * race with the caller's own), anything else `-ERR` rejects.
 */
export async function killChannel(api: (cmd: string) => Promise<string>, uuid: string, cause: string): Promise<void> {
  const safeCause = /^[A-Z_]{1,64}$/.test(cause) ? cause : 'NORMAL_CLEARING';
  const r = (await api(`uuid_kill ${uuid} ${safeCause}`)).trim();
  if (r.startsWith('-ERR') && !/no such channel/i.test(r)) throw new ChannelKillError(`uuid_kill ${uuid}: ${r}`);
}
