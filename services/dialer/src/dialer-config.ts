import { hostname } from 'node:os';
import { baseConfigSchema } from '@switchyard/core';
import { z } from 'zod';

/** `gw1=50,gw2=20` → { gw1: 50, gw2: 20 }. */
const trunkCps = z
  .string()
  .default('')
  .transform((s, ctx) => {
    const out: Record<string, number> = {};
    for (const part of s.split(',').map((p) => p.trim()).filter(Boolean)) {
      const m = /^([A-Za-z0-9_.-]+)=(\d+(?:\.\d+)?)$/.exec(part);
      if (!m || Number(m[2]) <= 0) ctx.addIssue({ code: 'custom', message: `bad trunk rate "${part}" (want name=cps)` });
      else out[m[1]!] = Number(m[2]);
    }
    return out;
  });

/** The dialer's settings (env), on top of the shared ones. */
export const dialerConfigSchema = baseConfigSchema
  .extend({
    /** Stable per deployment slot: a restarted dialer resolves the attempts it left open. */
    DIALER_ID: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).default(hostname().replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 64) || 'dialer'),
    DIALER_ESL_PASSWORD: z.string().optional(),
    DIALER_TRUNK_CPS: trunkCps,
    DIALER_ORIGINATE_TIMEOUT_SEC: z.coerce.number().int().min(5).max(300).default(30),
    DIALER_REDIS_PREFIX: z.string().default('sy:'),
    /** Dial string template; `{gateway}` and `{number}` are filled in. */
    DIALER_DIAL_STRING: z.string().regex(/^[A-Za-z0-9_.+@:\-/{}]+$/, 'dial string: letters, digits and _.+@:-/ with {gateway} {number}').default('sofia/gateway/{gateway}/{number}'),
    /** What the answered leg runs until the engine takes it (`&park()`). */
    /**
     * Who connects answered calls to their flow: `engine` (wait for an engine's hand-off
     * marker; not taken within 2 s = abandoned) or `none` (counted connected at once: a
     * dialer without engines, tests).
     */
    DIALER_HANDOFF: z.enum(['engine', 'none']).default('engine'),
    /** `/metrics`, `/health`, `/ready` (0 = no listener). 9102 is the engine's, 9103 the recorder's. */
    DIALER_OPS_PORT: z.coerce.number().int().min(0).max(65535).default(9104),
    /** Bind address of the ops listener (0.0.0.0 in containers so Prometheus can scrape it). */
    DIALER_OPS_HOST: z.string().default('127.0.0.1'),
    DIALER_ORIGINATE_APP: z.string().regex(/^&[a-z_]+\([^\s]*\)$/, 'originate app like &park()').default('&park()'),
  })
  .transform((c, ctx) => {
    const pw = c.DIALER_ESL_PASSWORD ?? (c.SWITCHYARD_DEV ? 'ClueCon' : undefined);
    if (!pw) ctx.addIssue({ code: 'custom', path: ['DIALER_ESL_PASSWORD'], message: 'required outside dev mode (SWITCHYARD_DEV=1 allows ClueCon)' });
    else if (pw === 'ClueCon' && !c.SWITCHYARD_DEV) {
      ctx.addIssue({ code: 'custom', path: ['DIALER_ESL_PASSWORD'], message: 'the well-known default ClueCon is refused outside dev mode (set a real password, or SWITCHYARD_DEV=1 on a dev box)' });
    }
    return { ...c, DIALER_ESL_PASSWORD: pw ?? '' };
  });
export type DialerConfig = z.output<typeof dialerConfigSchema>;
