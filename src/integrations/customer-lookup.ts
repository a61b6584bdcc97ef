// The external customer lookup behind the screen pop and the IVR: one endpoint of the company's own
// system per tenant (URL template, headers such as an API key, timeout, cache lifetimes).
// `lookupCustomer` never throws and never waits past the configured timeout; it keeps found answers
// for `cacheTtlSeconds` and not-found ones for `notFoundTtlSeconds` in a cache bounded in bytes
// (least recently used first out), and concurrent identical lookups share one request. Header
// values are never returned or logged; logs name the tenant, the host and the reason only.
import { LRUCache } from 'lru-cache';
import type { AuditRecord } from '../audit/index.ts';
import { DomainError, notFound, type Clock, type Logger } from '../kernel/index.ts';
import type { SqlDatabase } from '../storage/index.ts';
import { readLookupAnswer, type LookupResult, type ReadAnswer } from './lookup-answer.ts';
import { LookupConfigStore, type LookupConfig } from './lookup-config.sql.ts';
import { outboundRequest } from './outbound-request.ts';
import { checkUrlTemplate, renderLookupUrl, type LookupQuery } from './url-template.ts';

export const LOOKUP_LIMITS = {
  timeoutMs: { min: 100, max: 10_000, default: 2000 },
  cacheTtlSeconds: { min: 0, max: 86_400, default: 300 },
  notFoundTtlSeconds: { min: 0, max: 3600, default: 30 },
  headers: 10,
  answerBytes: 256 * 1024,
} as const;

/** RFC 9110 §5.6.2 token; a few names the client sets itself are refused. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'upgrade', 'te', 'trailer', 'keep-alive']);
/** RFC 9110 §5.5: visible characters, spaces and tabs; no CR, LF or NUL. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]{0,4096}$/;

export interface LookupConfigInput {
  urlTemplate: string;
  /** Header name -> value (an API key). Left out: the stored headers stay; `{}` removes them. */
  headers?: Record<string, string> | undefined;
  timeoutMs?: number | undefined;
  cacheTtlSeconds?: number | undefined;
  notFoundTtlSeconds?: number | undefined;
  allowPrivateNetwork?: boolean | undefined;
}

/** The configuration as the API shows it: header names only, never their values. */
export interface LookupConfigView {
  urlTemplate: string;
  headerNames: string[];
  timeoutMs: number;
  cacheTtlSeconds: number;
  notFoundTtlSeconds: number;
  allowPrivateNetwork: boolean;
  updatedAt: string;
}

export interface LookupActor {
  userId: string | null;
  name: string;
  ip: string | null;
}

export interface CustomerLookupDeps {
  db: SqlDatabase;
  clock: Clock;
  audit: { append(rec: AuditRecord): Promise<void> };
  log: Logger;
  /** Bytes of answers the cache keeps across tenants (default 8 MiB). */
  cacheBytes?: number;
}

/** One lookup's outcome as shared by concurrent callers: found data travels as JSON text. */
interface Shared {
  result: LookupResult;
  json?: string;
}

interface CacheEntry {
  found: boolean;
  json: string;
  expiresAt: number;
}

const view = (c: LookupConfig): LookupConfigView => ({
  urlTemplate: c.urlTemplate, headerNames: Object.keys(c.headers).sort(), timeoutMs: c.timeoutMs, cacheTtlSeconds: c.cacheTtlSeconds,
  notFoundTtlSeconds: c.notFoundTtlSeconds, allowPrivateNetwork: c.allowPrivateNetwork, updatedAt: c.updatedAt,
});

const hostOf = (url: string): string => (URL.canParse(url) ? new URL(url).host : 'invalid URL');

function cleanQuery(q: LookupQuery): LookupQuery {
  const out: LookupQuery = {};
  const phone = q.phone?.trim();
  const email = q.email?.trim();
  if (phone) out.phone = phone;
  if (email) out.email = email;
  return out;
}

function inRange(field: string, value: number | undefined, limits: { min: number; max: number; default: number }): number {
  const v = value ?? limits.default;
  if (!Number.isInteger(v) || v < limits.min || v > limits.max) {
    throw new DomainError('SB_VALIDATION', 400, `${field} must be an integer from ${limits.min} to ${limits.max}`, { field });
  }
  return v;
}

function checkHeaders(headers: Record<string, string>): void {
  const names = Object.keys(headers);
  if (names.length > LOOKUP_LIMITS.headers) throw new DomainError('SB_VALIDATION', 400, `at most ${LOOKUP_LIMITS.headers} headers`, { field: 'headers' });
  for (const name of names) {
    if (!HEADER_NAME.test(name) || RESERVED_HEADERS.has(name.toLowerCase())) {
      throw new DomainError('SB_VALIDATION', 400, `headers.${name} is not a header name that may be set`, { field: `headers.${name}` });
    }
    if (!HEADER_VALUE.test(headers[name]!)) throw new DomainError('SB_VALIDATION', 400, `headers.${name} has characters a header value cannot carry`, { field: `headers.${name}` });
  }
}

export class CustomerLookup {
  readonly #store: LookupConfigStore;
  readonly #clock: Clock;
  readonly #audit: CustomerLookupDeps['audit'];
  readonly #log: Logger;
  readonly #cache: LRUCache<string, CacheEntry>;
  readonly #inFlight = new Map<string, Promise<Shared>>();

  constructor(deps: CustomerLookupDeps) {
    this.#store = new LookupConfigStore(deps.db);
    this.#clock = deps.clock;
    this.#audit = deps.audit;
    this.#log = deps.log;
    this.#cache = new LRUCache<string, CacheEntry>({ maxSize: deps.cacheBytes ?? 8 * 1024 * 1024, sizeCalculation: (v, k) => v.json.length + k.length + 64 });
  }

  /** The tenant's configuration without header values, or null when none is set. */
  async config(tenantId: string): Promise<LookupConfigView | null> {
    const c = await this.#store.get(tenantId);
    return c ? view(c) : null;
  }

  async configure(tenantId: string, input: LookupConfigInput, actor?: LookupActor): Promise<LookupConfigView> {
    const allowPrivateNetwork = input.allowPrivateNetwork ?? false;
    const problem = checkUrlTemplate(input.urlTemplate, allowPrivateNetwork);
    if (problem) {
      const code = problem.kind === 'private' ? 'SB_INTEGRATIONS_URL_PRIVATE' : 'SB_INTEGRATIONS_URL_INVALID';
      throw new DomainError(code, 400, `urlTemplate ${problem.message}`, { field: 'urlTemplate' });
    }
    const previous = await this.#store.get(tenantId);
    const headers = input.headers ?? previous?.headers ?? {};
    checkHeaders(headers);
    const config: LookupConfig = {
      urlTemplate: input.urlTemplate, headers,
      timeoutMs: inRange('timeoutMs', input.timeoutMs, LOOKUP_LIMITS.timeoutMs),
      cacheTtlSeconds: inRange('cacheTtlSeconds', input.cacheTtlSeconds, LOOKUP_LIMITS.cacheTtlSeconds),
      notFoundTtlSeconds: inRange('notFoundTtlSeconds', input.notFoundTtlSeconds, LOOKUP_LIMITS.notFoundTtlSeconds),
      allowPrivateNetwork, updatedAt: new Date(this.#clock.now()).toISOString(),
    };
    await this.#store.save(tenantId, config);
    this.#forget(tenantId);
    await this.#record(tenantId, actor, 'integrations.lookup_configured', {
      host: hostOf(config.urlTemplate), headerNames: Object.keys(headers).sort(), allowPrivateNetwork,
    });
    return view(config);
  }

  async remove(tenantId: string, actor?: LookupActor): Promise<void> {
    if (!(await this.#store.remove(tenantId))) throw notFound('customer lookup');
    this.#forget(tenantId);
    await this.#record(tenantId, actor, 'integrations.lookup_removed', {});
  }

  /** Asks the tenant's system about a customer. Never throws; a failure is a reason. */
  async lookupCustomer(tenantId: string, query: LookupQuery): Promise<LookupResult> {
    const q = cleanQuery(query);
    const key = `${tenantId}\n${q.phone ?? ''}\n${q.email ?? ''}`;
    let pending = this.#inFlight.get(key);
    if (!pending) {
      pending = this.#lookup(tenantId, q).finally(() => { this.#inFlight.delete(key); });
      this.#inFlight.set(key, pending);
    }
    const { result, json } = await pending;
    // Each caller gets its own copy of the data.
    return result.ok ? { ...result, data: JSON.parse(json!) } : result;
  }

  async #lookup(tenantId: string, q: LookupQuery): Promise<Shared> {
    try {
      const config = await this.#store.get(tenantId);
      if (!config) return { result: { ok: false, reason: 'not-configured' } };
      if (!q.phone && !q.email) return { result: { ok: false, reason: 'not-found' } };
      const url = renderLookupUrl(config.urlTemplate, q);
      const key = `${tenantId}\n${config.updatedAt}\n${url}`;
      const hit = this.#cache.get(key);
      if (hit && hit.expiresAt > this.#clock.now()) {
        return hit.found ? { result: { ok: true, data: null, cached: true }, json: hit.json } : { result: { ok: false, reason: 'not-found' } };
      }
      const answer = await this.#ask(tenantId, config, url);
      this.#remember(key, config, answer);
      return answer.result.ok ? { result: { ok: true, data: null, cached: false }, json: answer.json! } : { result: answer.result };
    } catch (err) {
      this.#log.error({ tenantId, err: err instanceof Error ? err.message : String(err) }, 'customer lookup failed');
      return { result: { ok: false, reason: 'error' } };
    }
  }

  /** The admin's check of the saved configuration: always asks (no cache) and says why it read the answer as it did. */
  async test(tenantId: string, query: LookupQuery): Promise<LookupResult & { detail: string }> {
    const config = await this.#store.get(tenantId);
    if (!config) return { ok: false, reason: 'not-configured', detail: 'no customer lookup is configured' };
    const answer = await this.#ask(tenantId, config, renderLookupUrl(config.urlTemplate, cleanQuery(query)));
    return { ...answer.result, detail: answer.detail };
  }

  async #ask(tenantId: string, config: LookupConfig, url: string): Promise<ReadAnswer> {
    const result = await outboundRequest({
      method: 'GET', url, headers: { accept: 'application/json', 'user-agent': 'Switchboard', ...config.headers },
      timeoutMs: config.timeoutMs, allowPrivateNetwork: config.allowPrivateNetwork, maxResponseBytes: LOOKUP_LIMITS.answerBytes,
    }, this.#clock);
    const answer = readLookupAnswer(result, config.timeoutMs);
    if (!answer.result.ok && answer.result.reason !== 'not-found') {
      this.#log.warn({ tenantId, host: hostOf(url), reason: answer.result.reason, detail: answer.detail }, 'customer lookup failed');
    }
    return answer;
  }

  #remember(key: string, config: LookupConfig, answer: ReadAnswer): void {
    const now = this.#clock.now();
    if (answer.result.ok && config.cacheTtlSeconds > 0) {
      this.#cache.set(key, { found: true, json: answer.json!, expiresAt: now + config.cacheTtlSeconds * 1000 });
    } else if (!answer.result.ok && answer.result.reason === 'not-found' && config.notFoundTtlSeconds > 0) {
      this.#cache.set(key, { found: false, json: '', expiresAt: now + config.notFoundTtlSeconds * 1000 });
    }
  }

  #forget(tenantId: string): void {
    for (const key of [...this.#cache.keys()]) if (key.startsWith(`${tenantId}\n`)) this.#cache.delete(key);
  }

  #record(tenantId: string, actor: LookupActor | undefined, action: string, details: Record<string, unknown>): Promise<void> {
    return this.#audit.append({
      tenantId, action, targetType: 'customer_lookup', targetId: tenantId, details, actorId: actor?.userId ?? null, actorName: actor?.name ?? 'system', ip: actor?.ip ?? null,
    });
  }
}
