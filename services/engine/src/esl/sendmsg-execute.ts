import type { HeaderList } from '@switchyard/esl';

/** Arguments longer than this, or multi-line, travel as a text/plain body (as FreeSWITCH allows). */
const MAX_INLINE_ARG = 512;

/**
 * The headers and body of `sendmsg` execute for sockets whose API takes (line, headers,
 * body) rather than pre-encoded bytes. `event-lock` keeps queued apps in order.
 */
export function sendmsgExecute(app: string, arg: string, appUuid: string, eventLock = true): { headers: HeaderList; body?: string } {
  const inline = arg.length <= MAX_INLINE_ARG && !/[\r\n]/.test(arg);
  const h: [string, string][] = [
    ['call-command', 'execute'],
    ['execute-app-name', app],
  ];
  if (arg && inline) h.push(['execute-app-arg', arg]);
  h.push(['Event-UUID', appUuid]);
  if (eventLock) h.push(['event-lock', 'true']);
  if (arg && !inline) {
    h.push(['content-type', 'text/plain']);
    return { headers: h, body: arg };
  }
  return { headers: h };
}
