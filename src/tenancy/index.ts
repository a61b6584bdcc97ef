export { TenantScope, type TenantTable } from './tenant-scope.ts';
export { TenantStore, type Tenant } from './tenant-store.sql.ts';
