// The routing domain: queues, agents, skills, priorities and offers (README.md maps the rules to files).
export {
  AGENT_STATES, BACKGROUND_CHANNELS, CHANNELS, CONTACT_STATUSES, DEFAULT_CAPACITY, PROFICIENCY, ROUTING_ERROR_CODES, ROUTING_STRATEGIES, RoutingError, perChannel,
  type Agent, type AgentState, type AgentStatus, type Channel, type Contact, type ContactDistributor, type ContactStatus,
  type ContactStatusKind, type OverflowTarget, type Queue, type QueueStats, type RelaxationStep, type RoutingDecision,
  type RoutingErrorCode, type RoutingStrategy, type SkillRequirement,
} from './routing-model.ts';
export { RoutingCore } from './routing-core.ts';
export { ReferenceMatcher } from './reference-matcher.ts';
export type { RoutingEvents } from './routing-events.ts';
export { RoutingEngine, type ChannelAdapter, type NewContact, type ChosenState, type AgentView, type RoutingEngineDeps } from './routing-engine.ts';
export { RoutingStore, type StoredQueue, type StoredAgent, type StoredContact } from './routing-store.sql.ts';
export { DEFAULT_QUEUE_SETTINGS, QUEUE_SETTINGS_SCHEMA, withDefaults, coreQueue, type QueueSettings } from './queue-settings.ts';
