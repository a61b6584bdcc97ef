// Managing phone endpoints: every change is audited; a phone's user must be in the same tenant.
import type { AuditRecord } from '../audit/index.ts';
import type { NewPhone, Phone, PhoneStore } from './phone-store.ts';

export interface PhoneActor {
  userId: string | null;
  name: string;
  ip: string | null;
}

export interface PhonesDeps {
  store: PhoneStore;
  audit: { append(rec: AuditRecord): Promise<void> };
  /** The digest realm of a tenant (its slug). */
  realmOf: (tenantId: string) => Promise<string>;
  /** Throws a 404 DomainError when the user is not in the tenant. */
  assertUser: (tenantId: string, userId: string) => Promise<void>;
}

export class Phones {
  readonly #d: PhonesDeps;

  constructor(deps: PhonesDeps) {
    this.#d = deps;
  }

  list(tenantId: string): Promise<Phone[]> {
    return this.#d.store.list(tenantId);
  }

  async create(tenantId: string, phone: NewPhone, actor?: PhoneActor): Promise<Phone> {
    if (phone.userId) await this.#d.assertUser(tenantId, phone.userId);
    const created = await this.#d.store.create(tenantId, await this.#d.realmOf(tenantId), phone);
    await this.#audit(tenantId, actor, 'phone.created', created.id, { username: created.username, userId: created.userId });
    return created;
  }

  async setPassword(tenantId: string, id: string, password: string, actor?: PhoneActor): Promise<void> {
    await this.#d.store.setPassword(tenantId, await this.#d.realmOf(tenantId), id, password);
    await this.#audit(tenantId, actor, 'phone.password_changed', id, {});
  }

  async remove(tenantId: string, id: string, actor?: PhoneActor): Promise<void> {
    const phone = await this.#d.store.get(tenantId, id);
    await this.#d.store.remove(tenantId, id);
    await this.#audit(tenantId, actor, 'phone.deleted', id, { username: phone.username });
  }

  domains(tenantId: string): Promise<string[]> {
    return this.#d.store.domains(tenantId);
  }

  async addDomain(tenantId: string, domain: string, actor?: PhoneActor): Promise<void> {
    await this.#d.store.addDomain(tenantId, domain);
    await this.#audit(tenantId, actor, 'sip_domain.added', domain, {});
  }

  #audit(tenantId: string, actor: PhoneActor | undefined, action: string, targetId: string, details: Record<string, unknown>): Promise<void> {
    return this.#d.audit.append({
      tenantId, action, targetType: action.split('.')[0]!, targetId, details,
      actorId: actor?.userId ?? null, actorName: actor?.name ?? 'system', ip: actor?.ip ?? null,
    });
  }
}
