const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g;

/** Fills `{{name}}` placeholders from call variables; missing ones become empty strings. */
export function fillTemplate(template: string, vars: Readonly<Record<string, string>>): string {
  if (!template.includes('{{')) return template;
  return template.replace(PLACEHOLDER, (_, name: string) => vars[name] ?? '');
}
