import type { App, AppContext } from './app.ts';

function setVar(ctx: AppContext): void {
  const eq = ctx.arg.indexOf('=');
  if (eq <= 0) return;
  const name = ctx.arg.slice(0, eq).trim();
  const value = ctx.arg.slice(eq + 1);
  ctx.ch.setVar(name, value === '' ? undefined : value);
}

/** `set name=value` (empty value unsets). */
export const setApp: App = {
  name: 'set',
  parsesEvents: false,
  start(ctx) {
    setVar(ctx);
    ctx.done();
    return {};
  },
};

/** `export name=value`: like set; also recorded in export_vars for legs created later. */
export const exportApp: App = {
  name: 'export',
  parsesEvents: false,
  start(ctx) {
    setVar(ctx);
    const name = ctx.arg.split('=')[0]?.replace(/^nolocal:/, '').trim();
    if (name) {
      const prev = ctx.ch.getVar('export_vars');
      ctx.ch.setVar('export_vars', prev ? `${prev},${name}` : name);
    }
    ctx.done();
    return {};
  },
};
