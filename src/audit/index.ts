export { AuditLog, type AuditRecord, type AuditEntry, type AuditVerification, type AuditTables } from './audit-log.sql.ts';
