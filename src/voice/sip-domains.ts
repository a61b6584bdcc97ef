// Which tenant a SIP request is for, from the host of its Request-URI (or To for REGISTER):
// a configured SIP domain, else a tenant whose slug is the host, else the only tenant of a
// single-company install, else the configured default. The digest realm is the tenant's slug.
import type { SipDomains } from '../sip/index.ts';
import type { TenantStore } from '../tenancy/index.ts';
import type { PhoneStore } from './phone-store.ts';

export function sipDomains(d: { phones: PhoneStore; tenants: TenantStore; defaultTenant?: string | undefined }): SipDomains & {
  tenantOfRealm(realm: string): Promise<string | undefined>;
} {
  return {
    async resolve(host) {
      const h = host.toLowerCase();
      const byDomain = await d.phones.tenantOfDomain(h);
      const tenant = byDomain ? await d.tenants.byId(byDomain)
        : (await d.tenants.bySlug(h)) ?? (await d.tenants.only()) ?? (d.defaultTenant ? await d.tenants.bySlug(d.defaultTenant) : undefined);
      return tenant ? { tenantId: tenant.id, realm: tenant.slug } : undefined;
    },
    async tenantOfRealm(realm) {
      return (await d.tenants.bySlug(realm))?.id;
    },
  };
}
