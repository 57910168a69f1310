import { Controller, Inject, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { TOKENS } from '../app/injection-tokens.ts';
import { ApiRoute, defineRoute, type RouteSpec } from '../http/api-route.ts';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi-document.ts';

export const docsRoutes = {
  html: defineRoute({ id: 'docs.html', method: 'GET', path: '/docs', summary: 'API documentation page', tag: 'docs', produces: 'text/html' }),
  openapi: defineRoute({ id: 'docs.openapi', method: 'GET', path: '/docs/openapi.json', summary: 'The OpenAPI 3.1 document', tag: 'docs' }),
};

/** Serves the generated OpenAPI document and a minimal HTML page listing the operations. */
@Controller()
export class DocsController {
  private readonly doc: OpenApiDocument;

  constructor(@Inject(TOKENS.routeSpecs) specs: RouteSpec[]) {
    this.doc = buildOpenApiDocument(specs, { title: 'Switchyard API', version: '1' });
  }

  @ApiRoute(docsRoutes.openapi)
  openapi(): OpenApiDocument {
    return this.doc;
  }

  @ApiRoute(docsRoutes.html)
  html(@Res() res: ServerResponse): void {
    const rows: string[] = [];
    for (const [path, ops] of Object.entries(this.doc.paths)) {
      for (const [method, op] of Object.entries(ops as Record<string, { summary: string; 'x-roles'?: string[] }>)) {
        const roles = op['x-roles']?.join(', ') ?? 'public';
        rows.push(`<tr><td>${method.toUpperCase()}</td><td><code>${esc(path)}</code></td><td>${esc(op.summary)}</td><td>${esc(roles)}</td></tr>`);
      }
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
        `<!doctype html><html><head><meta charset="utf-8"><title>Switchyard API</title>` +
          `<style>body{font-family:sans-serif;margin:2em}td{padding:2px 10px;border-bottom:1px solid #ddd}</style></head>` +
          `<body><h1>Switchyard API</h1><p>Machine-readable: <a href="/docs/openapi.json">/docs/openapi.json</a>. ` +
          `Send <code>Authorization: Bearer &lt;token&gt;</code>.</p><table><tr><th>method</th><th>path</th><th>what</th><th>roles</th></tr>` +
          rows.join('') +
          `</table></body></html>`,
      );
  }
}

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}
