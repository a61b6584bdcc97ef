// httpLookup: asks the company's own system (order status, account tier) over HTTP and keeps the
// answer in a variable: JSON when the answer is JSON, else its text. A timeout, a network error,
// a status other than 2xx or an answer over 64 KiB takes `fallback` and is logged with the call's
// id; the caller never waits longer than `timeoutMs`. Answers may be cached for `cacheSeconds`.
import type { FlowNode } from '../flow-document.ts';
import type { FlowContext, Step } from '../flow-context.ts';
import { render, renderUrl } from '../templates.ts';

const MAX_ANSWER_BYTES = 64 * 1024;

/** Answers kept per request (method, URL, body) until they expire; bounded in entries. */
export class LookupCache {
  readonly #entries = new Map<string, { value: unknown; expires: number }>();
  readonly #max: number;

  constructor(max = 1000) {
    this.#max = max;
  }

  get(key: string, now: number): { value: unknown } | undefined {
    const e = this.#entries.get(key);
    if (!e) return undefined;
    if (e.expires <= now) { this.#entries.delete(key); return undefined; }
    return { value: e.value };
  }

  set(key: string, value: unknown, expires: number): void {
    if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { value, expires });
  }
}

export async function httpLookup(id: string, n: Extract<FlowNode, { type: 'httpLookup' }>, ctx: FlowContext, cache: LookupCache): Promise<Step> {
  const scope = ctx.scope();
  const url = renderUrl(n.url, scope);
  const method = n.method ?? 'GET';
  const body = n.body ? JSON.stringify(Object.fromEntries(Object.entries(n.body).map(([k, v]) => [k, render(v, scope)]))) : undefined;
  const key = `${method} ${url} ${body ?? ''}`;
  const now = ctx.deps.now();
  const cached = n.cacheSeconds ? cache.get(key, now) : undefined;
  if (cached) {
    ctx.vars[n.variable] = cached.value;
    ctx.path.push({ node: id, type: 'httpLookup', outcome: 'cached' });
    return { next: n.next };
  }
  const started = performance.now();
  try {
    const headers: Record<string, string> = { accept: 'application/json, text/plain;q=0.5' };
    for (const [k, v] of Object.entries(n.headers ?? {})) headers[k] = render(v, scope);
    if (body) headers['content-type'] = 'application/json';
    const res = await (ctx.deps.fetch ?? fetch)(url, { method, headers, body, signal: AbortSignal.timeout(n.timeoutMs ?? 3000), redirect: 'error' });
    if (!res.ok) throw new Error(`answered ${res.status}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > MAX_ANSWER_BYTES) throw new Error(`answer of ${bytes.length} bytes is over ${MAX_ANSWER_BYTES}`);
    const text = bytes.toString('utf8');
    let value: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json')) value = JSON.parse(text);
    ctx.vars[n.variable] = value;
    if (n.cacheSeconds) cache.set(key, value, now + n.cacheSeconds * 1000);
    ctx.path.push({ node: id, type: 'httpLookup', outcome: 'ok' });
    return { next: n.next };
  } catch (err) {
    const why = err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${n.timeoutMs ?? 3000} ms` : (err as Error).message;
    // The URL may carry a caller's digits: log the host only.
    ctx.log.warn({ node: id, host: safeHost(url), why, ms: Math.round(performance.now() - started) }, 'IVR lookup failed; taking the fallback branch');
    ctx.path.push({ node: id, type: 'httpLookup', outcome: 'failed' });
    return { next: n.fallback };
  }
}

function safeHost(url: string): string {
  try { return new URL(url).host; } catch { return 'invalid URL'; }
}
