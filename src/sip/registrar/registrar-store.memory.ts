import type { Binding, RegistrarStore } from './registrar-store.ts';

const key = (tenantId: string, aor: string): string => `${tenantId}\u0000${aor}`;

export class MemoryRegistrarStore implements RegistrarStore {
  readonly #byAor = new Map<string, Map<string, Binding>>();

  async list(tenantId: string, aor: string, now: number): Promise<Binding[]> {
    return [...(this.#byAor.get(key(tenantId, aor))?.values() ?? [])].filter((b) => b.expiresAt > now).map((b) => ({ ...b }));
  }

  async put(binding: Binding): Promise<void> {
    let m = this.#byAor.get(key(binding.tenantId, binding.aor));
    if (!m) { m = new Map(); this.#byAor.set(key(binding.tenantId, binding.aor), m); }
    m.set(binding.contact, { ...binding });
  }

  async remove(tenantId: string, aor: string, contact: string): Promise<void> {
    this.#byAor.get(key(tenantId, aor))?.delete(contact);
  }

  async removeAll(tenantId: string, aor: string): Promise<void> {
    this.#byAor.delete(key(tenantId, aor));
  }

  async purgeExpired(now: number): Promise<number> {
    let n = 0;
    for (const [aor, m] of this.#byAor) {
      for (const [c, b] of m) if (b.expiresAt <= now) { m.delete(c); n++; }
      if (m.size === 0) this.#byAor.delete(aor);
    }
    return n;
  }
}
