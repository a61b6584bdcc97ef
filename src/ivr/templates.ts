// `{{name}}` and `{{name.field}}` in prompt texts, lookup URLs, headers and variables are replaced by
// the call's variables (results of lookups, gathered digits, `caller`, `dialled`, `language`). A
// name that is not set renders as nothing. Values inserted into a URL are percent-encoded
// (RFC 3986 §2.1) so a caller's digits cannot change the URL's path or query structure.

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}\}/g;

export type Variables = Record<string, unknown>;

/** The value at a dotted path (`order.status`), or undefined. */
export function lookupPath(vars: Variables, path: string): unknown {
  let v: unknown = vars;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, part)) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

function asText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function render(template: string, vars: Variables): string {
  return template.replace(PLACEHOLDER, (_, path: string) => asText(lookupPath(vars, path)));
}

export function renderUrl(template: string, vars: Variables): string {
  return template.replace(PLACEHOLDER, (_, path: string) => encodeURIComponent(asText(lookupPath(vars, path))));
}
