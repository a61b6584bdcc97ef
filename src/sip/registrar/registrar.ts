// REGISTER processing, RFC 3261 §10.3 steps 6–8, on already-parsed fields. Authentication (step 3–4)
// happens before this; AOR canonicalisation (step 5) is the caller's.
import type { Binding, RegistrarStore } from './registrar-store.ts';

export interface RegisterContact {
  uri: string;
  /** `expires` contact parameter, seconds. */
  expires?: number | undefined;
  q?: number | undefined;
  instanceId?: string | undefined;
}

export interface RegisterInput {
  tenantId: string;
  aor: string;
  /** `*` (remove all) or the Contact values; an empty list is a query (§10.2.3). */
  contacts: '*' | RegisterContact[];
  /** Expires header, seconds. */
  expiresHeader?: number | undefined;
  callId: string;
  cseq: number;
  source: Binding['source'];
  now: number;
}

export type RegisterOutcome =
  | { status: 200; bindings: Binding[] }
  | { status: 400 | 403 | 423 | 500; reason: string; minExpires?: number };

export interface RegistrarOptions {
  defaultExpires: number;
  minExpires: number;
  maxExpires: number;
  maxBindingsPerAor: number;
}

export const DEFAULT_REGISTRAR_OPTIONS: RegistrarOptions = { defaultExpires: 3600, minExpires: 60, maxExpires: 7200, maxBindingsPerAor: 10 };

/** Best q first, then the most recently refreshed. */
const byPreference = (a: Binding, b: Binding): number => b.q - a.q || b.updatedAt - a.updatedAt;

export class Registrar {
  readonly store: RegistrarStore;
  readonly #o: RegistrarOptions;
  /** REGISTERs for one AOR are applied one at a time so CSeq ordering holds. */
  readonly #locks = new Map<string, Promise<unknown>>();

  constructor(store: RegistrarStore, options: Partial<RegistrarOptions> = {}) {
    this.store = store;
    this.#o = { ...DEFAULT_REGISTRAR_OPTIONS, ...options };
  }

  register(input: RegisterInput): Promise<RegisterOutcome> {
    const lockKey = `${input.tenantId}\u0000${input.aor}`;
    const prev = this.#locks.get(lockKey) ?? Promise.resolve();
    const next = prev.catch(() => {}).then(() => this.#apply(input));
    this.#locks.set(lockKey, next);
    void next.finally(() => { if (this.#locks.get(lockKey) === next) this.#locks.delete(lockKey); }).catch(() => {});
    return next;
  }

  /** Live contacts of an AOR, best q first (for forking a call to every registered phone). */
  async lookup(tenantId: string, aor: string, now: number): Promise<Binding[]> {
    return (await this.store.list(tenantId, aor, now)).sort(byPreference);
  }

  async #apply(r: RegisterInput): Promise<RegisterOutcome> {
    const existing = await this.store.list(r.tenantId, r.aor, r.now);
    if (r.contacts === '*') {
      // §10.3 step 6: "*" is only valid alone with Expires: 0.
      if (r.expiresHeader !== 0) return { status: 400, reason: 'Contact: * requires Expires: 0' };
      for (const b of existing) {
        if (b.callId === r.callId && b.cseq >= r.cseq) return { status: 500, reason: 'Out of order CSeq' };
      }
      await this.store.removeAll(r.tenantId, r.aor);
      return { status: 200, bindings: [] };
    }
    // Validate every contact first: the request is applied entirely or not at all (§10.3 step 8).
    const plans: { contact: RegisterContact; expires: number }[] = [];
    for (const c of r.contacts) {
      let expires = c.expires ?? r.expiresHeader ?? this.#o.defaultExpires;
      if (!Number.isFinite(expires) || expires < 0) return { status: 400, reason: 'Bad expires value' };
      if (expires > 0 && expires < this.#o.minExpires) return { status: 423, reason: 'Interval Too Brief', minExpires: this.#o.minExpires };
      expires = Math.min(expires, this.#o.maxExpires);
      const old = existing.find((b) => b.contact === c.uri);
      if (old && old.callId === r.callId && old.cseq >= r.cseq) return { status: 500, reason: 'Out of order CSeq' };
      plans.push({ contact: c, expires });
    }
    const after = new Set(existing.map((b) => b.contact));
    for (const p of plans) (p.expires === 0 ? after.delete(p.contact.uri) : after.add(p.contact.uri));
    if (after.size > this.#o.maxBindingsPerAor) return { status: 403, reason: 'Too many contacts for this address' };
    const current = new Map(existing.map((b) => [b.contact, b]));
    for (const p of plans) {
      if (p.expires === 0) {
        await this.store.remove(r.tenantId, r.aor, p.contact.uri);
        current.delete(p.contact.uri);
      } else {
        const binding: Binding = {
          tenantId: r.tenantId, aor: r.aor, contact: p.contact.uri, callId: r.callId, cseq: r.cseq, expiresAt: r.now + p.expires * 1000,
          q: p.contact.q ?? 1, source: r.source, instanceId: p.contact.instanceId, updatedAt: r.now,
        };
        await this.store.put(binding);
        current.set(binding.contact, binding);
      }
    }
    // Updates to one AOR are serialised (#locks), so this is what the store now holds.
    return { status: 200, bindings: [...current.values()].sort(byPreference) };
  }
}
