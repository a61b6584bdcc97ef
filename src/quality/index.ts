// Quality: the recordings policy of a workspace (how long recordings are kept, and the job that
// deletes them when due). README.md maps the files.
export { MAX_RETENTION_DAYS, checkRetentionDays, retentionCutoff, isDue, type RetentionDays } from './retention.ts';
export { RetentionPolicy, type RetentionPolicyDeps, type RetentionActor } from './retention-policy.sql.ts';
export { RecordingPurge, RECORDING_KINDS, type RecordingKind, type GovernedRecording, type RecordingPurgeDeps } from './recording-purge.sql.ts';
