export { type Storage, type StorageOptions, type SqlDatabase, type SqlDialectName, openStorage, tables } from './database.ts';
export { migrateToLatest, migrateUpTo } from './migrate.ts';
export { testStorageTargets, openTestStorage } from './test-storage.ts';
