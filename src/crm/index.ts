// Customers: one customer across every channel (identities, profile, merge, duplicates, timeline,
// CSV, erasure). Other domains resolve callers with `Customers.resolve`, follow merged ids with
// `canonicalId`/`mergedIds`, add their history with `addTimelineSource`, and erase their own copies
// of personal data on `CustomerErased`.
export {
  IdentityKind, IDENTITY_KINDS, FieldType, FIELD_TYPES, ConsentKind, CONSENT_KINDS, isIdentityKind,
  type Customer, type Identity, type IdentityInput, type Consent, type LegalHold, type FieldValue, type NewCustomer, type CustomerChanges,
  type FieldDefinition, type Note, type CrmSettings, type CrmActor,
} from './customer-model.ts';
export { normalizeIdentity, tryNormalizeIdentity, type NormalizedIdentity, type NormalizeOptions } from './identity.ts';
export { type FieldDefinitionInput } from './custom-fields.ts';
export {
  Customers, IDEMPOTENCY_TTL_MS, MAX_PAGE, type CustomersDeps, type CustomerQuery, type CustomerPage, type DuplicateSuggestion, type ImportReport,
  type ImportRowReport, type IdempotentCreate,
} from './customers.ts';
export { type CrmTables, type CustomerFilter } from './customer-store.sql.ts';
export { type TimelineEntry, type TimelineSource, type TimelinePage } from './timeline.ts';
export { type CrmEvents } from './crm-events.ts';
