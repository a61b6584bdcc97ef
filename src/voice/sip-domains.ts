// Which tenant a SIP request is for, from the host of its Request-URI (or To for REGISTER):
// a configured SIP domain, else a tenant whose slug is the host, else the only tenant of a
// single-company install, else the configured default. The digest realm is the tenant's slug.
// Answers are kept for a few seconds: every REGISTER and INVITE asks, and they rarely change.
import type { Clock } from '../kernel/index.ts';
import type { SipDomains } from '../sip/index.ts';
import type { TenantStore } from '../tenancy/index.ts';
import type { PhoneStore } from './phone-store.ts';

const TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

/** A small time-bounded memo; the oldest entry goes first when it is full. */
function memo<T>(clock: Clock, load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const cache = new Map<string, { at: number; value: Promise<T> }>();
  return (key) => {
    const now = clock.now();
    const hit = cache.get(key);
    if (hit && now - hit.at < TTL_MS) return hit.value;
    const value = load(key);
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(key, { at: now, value });
    value.catch(() => cache.delete(key));
    return value;
  };
}

export function sipDomains(d: { phones: PhoneStore; tenants: TenantStore; clock: Clock; defaultTenant?: string | undefined }): SipDomains & {
  tenantOfRealm(realm: string): Promise<string | undefined>;
} {
  const resolve = memo(d.clock, async (h: string) => {
    const byDomain = await d.phones.tenantOfDomain(h);
    const tenant = byDomain ? await d.tenants.byId(byDomain)
      : (await d.tenants.bySlug(h)) ?? (await d.tenants.only()) ?? (d.defaultTenant ? await d.tenants.bySlug(d.defaultTenant) : undefined);
    return tenant ? { tenantId: tenant.id, realm: tenant.slug } : undefined;
  });
  const realm = memo(d.clock, async (slug: string) => (await d.tenants.bySlug(slug))?.id);
  return {
    resolve: (host) => resolve(host.toLowerCase()),
    tenantOfRealm: (r) => realm(r),
  };
}
