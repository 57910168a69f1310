import { readFileSync } from 'node:fs';

/** One dialplan action: an application and its argument. */
export interface DialplanAction {
  app: string;
  arg: string;
}

/** Maps a destination number (in a context) to the actions to run. */
export interface Dialplan {
  match(destination: string, context: string): DialplanAction[] | undefined;
}

/** A dialplan extension: a regular expression on the destination number. */
export interface Extension {
  context?: string;
  pattern: string;
  actions: DialplanAction[];
}

/** The dialplan of the FreeSWITCH the captures came from (see freeswitch/dialplan/public.xml). */
export function defaultExtensions(socketAddr = '127.0.0.1:8084'): Extension[] {
  return [
    { pattern: '^1000$', actions: [{ app: 'answer', arg: '' }, { app: 'park', arg: '' }] },
    { pattern: '^2000$', actions: [{ app: 'socket', arg: `${socketAddr} async full` }] },
    { pattern: '^2001$', actions: [{ app: 'socket', arg: `${socketAddr} full` }] },
    {
      pattern: '^3000$',
      actions: [
        { app: 'answer', arg: '' },
        { app: 'playback', arg: 'tone_stream://%(500,0,440)' },
        { app: 'hangup', arg: '' },
      ],
    },
  ];
}

/** A dialplan over a list of extensions; the first matching extension wins. */
export function createDialplan(extensions: Extension[]): Dialplan {
  const compiled = extensions.map((e) => ({ ...e, re: new RegExp(e.pattern) }));
  return {
    match(destination, context) {
      for (const e of compiled) {
        if (e.context && e.context !== context) continue;
        if (e.re.test(destination)) return e.actions;
      }
      return undefined;
    },
  };
}

/**
 * Load a dialplan file: JSON `[{ "pattern": "^1000$", "context"?: "public", "actions": [["answer",""],["park",""]] }]`.
 * Throws a clear error on bad input.
 */
export function loadDialplanFile(path: string): Extension[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`dialplan ${path}: cannot read JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(raw)) throw new Error(`dialplan ${path}: expected an array of extensions`);
  return raw.map((e, i) => {
    const ext = e as { pattern?: unknown; context?: unknown; actions?: unknown };
    if (typeof ext.pattern !== 'string' || !Array.isArray(ext.actions)) {
      throw new Error(`dialplan ${path}: extension ${i} needs "pattern" (string) and "actions" (array)`);
    }
    try {
      new RegExp(ext.pattern);
    } catch {
      throw new Error(`dialplan ${path}: extension ${i} has an invalid pattern`);
    }
    const actions = ext.actions.map((a: unknown) => {
      const [app, arg] = a as [unknown, unknown];
      if (typeof app !== 'string') throw new Error(`dialplan ${path}: extension ${i} has an action without an app name`);
      return { app, arg: typeof arg === 'string' ? arg : '' };
    });
    return { pattern: ext.pattern, context: typeof ext.context === 'string' ? ext.context : undefined, actions };
  });
}
