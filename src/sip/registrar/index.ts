export { Registrar, DEFAULT_REGISTRAR_OPTIONS, type RegisterInput, type RegisterContact, type RegisterOutcome, type RegistrarOptions } from './registrar.ts';
export { type Binding, type RegistrarStore } from './registrar-store.ts';
export { MemoryRegistrarStore } from './registrar-store.memory.ts';
export { SqlRegistrarStore } from './registrar-store.sql.ts';
