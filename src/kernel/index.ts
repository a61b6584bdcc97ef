export { type Clock, type TimerHandle, systemClock, ManualClock } from './clock.ts';
export { DomainError, notFound, isDomainError } from './errors.ts';
export { type EventBus, type EventPublisher, type EventSubscriber, type EventMap, type Listener, MemoryEventBus } from './event-bus.ts';
export { newId, randomToken } from './ids.ts';
export { type Logger, createLogger, silentLogger, REDACTED_PATHS } from './logger.ts';
export { IDEMPOTENCY_TTL_MS, requestFingerprint, runOnce, type IdempotencyKeys, type IdempotencyRecord, type IdempotentResult } from './idempotency.ts';
