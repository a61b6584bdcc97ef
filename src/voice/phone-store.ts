// Phone endpoints: the SIP credentials a desk phone or softphone registers and calls with, and the
// SIP domains that name a tenant. The realm of a tenant is its slug.

export interface Phone {
  id: string;
  /** The SIP user name and extension, e.g. "1001"; unique within the tenant. */
  username: string;
  displayName: string;
  /** The Switchboard user who works on this phone, if any. */
  userId: string | null;
  createdAt: string;
}

export interface NewPhone {
  username: string;
  displayName: string;
  password: string;
  userId?: string | null | undefined;
}

export interface PhoneStore {
  list(tenantId: string): Promise<Phone[]>;
  get(tenantId: string, id: string): Promise<Phone>;
  byUsername(tenantId: string, username: string): Promise<Phone | undefined>;
  /** The phones a user works on (an agent's desk phone and softphones). */
  byUser(tenantId: string, userId: string): Promise<Phone[]>;
  /** Stores HA1 for MD5 and SHA-256 under `realm`; the password itself is not kept. */
  create(tenantId: string, realm: string, phone: NewPhone): Promise<Phone>;
  setPassword(tenantId: string, realm: string, id: string, password: string): Promise<void>;
  remove(tenantId: string, id: string): Promise<void>;
  /** H(username:realm:password) for digest verification, undefined for an unknown user. */
  ha1(tenantId: string, username: string, hash: 'MD5' | 'SHA-256'): Promise<string | undefined>;
  /** The tenant a SIP domain (host of a Request-URI or To) belongs to. */
  tenantOfDomain(domain: string): Promise<string | undefined>;
  addDomain(tenantId: string, domain: string): Promise<void>;
  domains(tenantId: string): Promise<string[]>;
}
