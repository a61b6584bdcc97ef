// The customer as other domains and the API see it: one person or organisation across every channel.

/** How a channel names a customer. Phones are E.164, e-mail addresses lower-cased, the rest opaque ids. */
export const IdentityKind = {
  Phone: 'phone',
  Email: 'email',
  WechatOpenid: 'wechat_openid',
  WechatUnionid: 'wechat_unionid',
  Whatsapp: 'whatsapp',
  Telegram: 'telegram',
  Webchat: 'webchat',
} as const;
export type IdentityKind = (typeof IdentityKind)[keyof typeof IdentityKind];
export const IDENTITY_KINDS: readonly IdentityKind[] = Object.values(IdentityKind);
export const isIdentityKind = (v: unknown): v is IdentityKind => typeof v === 'string' && (IDENTITY_KINDS as readonly string[]).includes(v);

export const FieldType = { Text: 'text', Number: 'number', Date: 'date', Select: 'select' } as const;
export type FieldType = (typeof FieldType)[keyof typeof FieldType];
export const FIELD_TYPES: readonly FieldType[] = Object.values(FieldType);

export const ConsentKind = { Recording: 'recording', Marketing: 'marketing' } as const;
export type ConsentKind = (typeof ConsentKind)[keyof typeof ConsentKind];
export const CONSENT_KINDS: readonly ConsentKind[] = Object.values(ConsentKind);

export interface Identity {
  id: string;
  kind: IdentityKind;
  /** The normalized value that lookups match (E.164 for phones). */
  value: string;
  /** The string as it was given. */
  original: string;
  createdAt: string;
}

/** `given: null` means never asked; `at` is when it was last given or withdrawn. */
export interface Consent {
  given: boolean | null;
  at: string | null;
}

export interface LegalHold {
  reason: string;
  since: string;
}

/** A custom field value: text, select option and date (YYYY-MM-DD) are strings, number a number. */
export type FieldValue = string | number;

export interface Customer {
  id: string;
  name: string | null;
  company: string | null;
  /** BCP 47 language tag (en, zh-CN, zh-TW, ...). */
  language: string | null;
  /** IANA time zone. */
  timeZone: string | null;
  tags: string[];
  fields: Record<string, FieldValue>;
  consent: Record<ConsentKind, Consent>;
  identities: Identity[];
  legalHold: LegalHold | null;
  /** Set when this customer was merged into another; references to it resolve through `Customers.canonicalId`. */
  mergedInto: string | null;
  /** Set on the tombstone of an erased customer: its personal data is gone. */
  erasedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface IdentityInput {
  kind: IdentityKind;
  value: string;
}

export interface NewCustomer {
  name?: string | null | undefined;
  company?: string | null | undefined;
  language?: string | null | undefined;
  timeZone?: string | null | undefined;
  tags?: string[] | undefined;
  fields?: Record<string, FieldValue | null> | undefined;
  consent?: Partial<Record<ConsentKind, boolean | null>> | undefined;
  identities?: IdentityInput[] | undefined;
}

/** Changes to a profile; `fields` entries set to null are cleared, `tags` replaces the set. */
export interface CustomerChanges {
  name?: string | null | undefined;
  company?: string | null | undefined;
  language?: string | null | undefined;
  timeZone?: string | null | undefined;
  tags?: string[] | undefined;
  fields?: Record<string, FieldValue | null> | undefined;
  consent?: Partial<Record<ConsentKind, boolean | null>> | undefined;
}

export interface FieldDefinition {
  key: string;
  label: string;
  type: FieldType;
  /** The allowed values of a `select` field. */
  options: string[];
  required: boolean;
}

export interface Note {
  id: string;
  customerId: string;
  authorId: string | null;
  authorName: string;
  body: string;
  at: string;
}

export interface CrmSettings {
  /** ISO 3166-1 alpha-2 region for national-format phone numbers; null rejects them. */
  defaultRegion: string | null;
}

/** Who made a change, for the audit trail. */
export interface CrmActor {
  userId: string | null;
  name: string;
  ip: string | null;
}
