import type { Binding, RegistrarStore } from './registrar-store.ts';

export class MemoryRegistrarStore implements RegistrarStore {
  readonly #byAor = new Map<string, Map<string, Binding>>();

  async list(aor: string, now: number): Promise<Binding[]> {
    return [...(this.#byAor.get(aor)?.values() ?? [])].filter((b) => b.expiresAt > now).map((b) => ({ ...b }));
  }

  async put(binding: Binding): Promise<void> {
    let m = this.#byAor.get(binding.aor);
    if (!m) { m = new Map(); this.#byAor.set(binding.aor, m); }
    m.set(binding.contact, { ...binding });
  }

  async remove(aor: string, contact: string): Promise<void> {
    this.#byAor.get(aor)?.delete(contact);
  }

  async removeAll(aor: string): Promise<void> {
    this.#byAor.delete(aor);
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
