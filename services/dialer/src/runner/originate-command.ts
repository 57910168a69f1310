/**
 * Builds the `originate` argument for one attempt. Every value is checked against a strict
 * pattern, so nothing in a campaign or contact can smuggle `,`/`}` into the variable block.
 *
 * @example
 * originateCommand({ callUuid, callerId: '+442071234567', dialString: 'sofia/gateway/gw1/+447911000001', timeoutSec: 30, vars: { sy_attempt_id: '7' } });
 */
export function originateCommand(o: {
  callUuid: string;
  callerId: string;
  dialString: string;
  timeoutSec: number;
  vars?: Record<string, string>;
  app?: string;
}): string {
  const safe = /^[A-Za-z0-9_.+@:\-/]*$/;
  const vars: Record<string, string> = {
    origination_uuid: o.callUuid,
    origination_caller_id_number: o.callerId,
    originate_timeout: String(Math.max(1, Math.round(o.timeoutSec))),
    ignore_early_media: 'true',
    ...o.vars,
  };
  for (const [k, v] of Object.entries(vars)) {
    if (!/^[a-z_][a-z0-9_]*$/i.test(k) || !safe.test(v)) throw new Error(`unsafe originate variable ${k}=${v}`);
  }
  if (!/^[A-Za-z0-9_.+@:\-/]+$/.test(o.dialString)) throw new Error(`unsafe dial string ${o.dialString}`);
  const block = Object.entries(vars)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return `originate {${block}}${o.dialString} ${o.app ?? '&park()'}`;
}
