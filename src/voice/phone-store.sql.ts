// Phone endpoints in SQLite/PostgreSQL (tables voice_phone, voice_sip_domain), tenant-scoped.
import type { Kysely } from 'kysely';
import { DomainError, newId, notFound, type Clock } from '../kernel/index.ts';
import { tables, type SqlDatabase } from '../storage/index.ts';
import { TenantScope } from '../tenancy/index.ts';
import { DigestAlgorithm, ha1 } from '../sip/index.ts';
import type { NewPhone, Phone, PhoneStore } from './phone-store.ts';

export interface VoiceTables {
  voice_phone: {
    id: string; tenant_id: string; username: string; display_name: string; user_id: string | null;
    ha1_md5: string; ha1_sha256: string; created_at: string;
  };
  voice_sip_domain: { domain: string; tenant_id: string; created_at: string };
}

type Row = VoiceTables['voice_phone'];
const toPhone = (r: Row): Phone => ({ id: r.id, username: r.username, displayName: r.display_name, userId: r.user_id, createdAt: r.created_at });

const hashes = (username: string, realm: string, password: string) => ({
  ha1_md5: ha1(DigestAlgorithm.MD5, username, realm, password),
  ha1_sha256: ha1(DigestAlgorithm.SHA256, username, realm, password),
});

export class SqlPhoneStore implements PhoneStore {
  readonly #db: Kysely<VoiceTables>;
  readonly #clock: Clock;

  constructor(db: SqlDatabase, clock: Clock) {
    this.#db = tables<VoiceTables>(db);
    this.#clock = clock;
  }

  #scope(tenantId: string): TenantScope<VoiceTables> {
    return new TenantScope(this.#db, tenantId);
  }

  async list(tenantId: string): Promise<Phone[]> {
    const rows = await this.#scope(tenantId).selectFrom('voice_phone').selectAll().orderBy('username').execute();
    return rows.map(toPhone);
  }

  async get(tenantId: string, id: string): Promise<Phone> {
    const row = await this.#scope(tenantId).selectFrom('voice_phone').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('phone');
    return toPhone(row);
  }

  async byUsername(tenantId: string, username: string): Promise<Phone | undefined> {
    const row = await this.#scope(tenantId).selectFrom('voice_phone').selectAll().where('username', '=', username).executeTakeFirst();
    return row ? toPhone(row) : undefined;
  }

  async byUser(tenantId: string, userId: string): Promise<Phone[]> {
    const rows = await this.#scope(tenantId).selectFrom('voice_phone').selectAll().where('user_id', '=', userId).orderBy('username').execute();
    return rows.map(toPhone);
  }

  async create(tenantId: string, realm: string, p: NewPhone): Promise<Phone> {
    if (await this.byUsername(tenantId, p.username)) throw new DomainError('SB_PHONE_EXISTS', 409, `a phone with user name ${p.username} already exists`);
    const row = {
      id: newId(), username: p.username, display_name: p.displayName, user_id: p.userId ?? null,
      ...hashes(p.username, realm, p.password), created_at: new Date(this.#clock.now()).toISOString(),
    };
    await this.#scope(tenantId).insertInto('voice_phone', row).execute();
    return toPhone({ ...row, tenant_id: tenantId });
  }

  async setPassword(tenantId: string, realm: string, id: string, password: string): Promise<void> {
    const phone = await this.get(tenantId, id);
    await this.#scope(tenantId).updateTable('voice_phone').set(hashes(phone.username, realm, password)).where('id', '=', id).execute();
  }

  async remove(tenantId: string, id: string): Promise<void> {
    const r = await this.#scope(tenantId).deleteFrom('voice_phone').where('id', '=', id).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound('phone');
  }

  async ha1(tenantId: string, username: string, hash: 'MD5' | 'SHA-256'): Promise<string | undefined> {
    const row = await this.#scope(tenantId).selectFrom('voice_phone').select(['ha1_md5', 'ha1_sha256']).where('username', '=', username).executeTakeFirst();
    if (!row) return undefined;
    return hash === 'SHA-256' ? row.ha1_sha256 : row.ha1_md5;
  }

  async tenantOfDomain(domain: string): Promise<string | undefined> {
    // Domain lookup is the one unscoped read: it is how an incoming request finds its tenant.
    const row = await this.#db.selectFrom('voice_sip_domain').select('tenant_id').where('domain', '=', domain.toLowerCase()).executeTakeFirst();
    return row?.tenant_id;
  }

  async addDomain(tenantId: string, domain: string): Promise<void> {
    const d = domain.toLowerCase();
    const owner = await this.tenantOfDomain(d);
    if (owner === tenantId) return;
    if (owner) throw new DomainError('SB_SIP_DOMAIN_TAKEN', 409, `SIP domain ${d} is not available`);
    await this.#scope(tenantId).insertInto('voice_sip_domain', { domain: d, created_at: new Date(this.#clock.now()).toISOString() }).execute();
  }

  async domains(tenantId: string): Promise<string[]> {
    const rows = await this.#scope(tenantId).selectFrom('voice_sip_domain').select('domain').orderBy('domain').execute();
    return rows.map((r) => r.domain);
  }
}
