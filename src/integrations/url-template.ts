// The lookup's URL template (pure, no I/O): `{{phone}}` and `{{email}}` are replaced by the caller's
// values, percent-encoded (RFC 3986 §2.1) so that a value cannot change the URL's structure; they
// may stand only in the path or query, never in the scheme or host.
import { checkOutboundUrl, type UrlProblem } from './outbound-url.ts';

export const LOOKUP_KEYS = ['phone', 'email'] as const;
export type LookupKey = (typeof LOOKUP_KEYS)[number];
export type LookupQuery = Partial<Record<LookupKey, string>>;

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function renderLookupUrl(template: string, query: LookupQuery): string {
  return template.replace(PLACEHOLDER, (_, name: string) => encodeURIComponent((LOOKUP_KEYS as readonly string[]).includes(name) ? query[name as LookupKey] ?? '' : ''));
}

export function checkUrlTemplate(template: string, allowPrivateNetwork: boolean): UrlProblem | undefined {
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (!(LOOKUP_KEYS as readonly string[]).includes(m[1]!)) return { kind: 'invalid', message: `names {{${m[1]}}}; only {{phone}} and {{email}} are known` };
  }
  const a = renderLookupUrl(template, { phone: '0', email: '0' });
  const b = renderLookupUrl(template, { phone: 'x1', email: 'y2' });
  if (URL.canParse(a) && URL.canParse(b) && new URL(a).origin !== new URL(b).origin) {
    return { kind: 'invalid', message: 'may use {{phone}} and {{email}} only in the path or query' };
  }
  return checkOutboundUrl(a, allowPrivateNetwork) ?? checkOutboundUrl(b, allowPrivateNetwork);
}
