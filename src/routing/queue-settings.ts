// A queue as an administrator configures it: the routing core's part (priority, strategy, skills,
// relaxation, aging, longest wait and overflow) plus what the engine and the channels do with it
// (how long an offer rings, wrap-up time, announcements, hold music, disposition codes, the
// service-level threshold reports use). Defaults are those of a typical inbound voice queue.
import type { OverflowTarget, Queue, RelaxationStep, RoutingStrategy, SkillRequirement } from './routing-model.ts';

export interface QueueSettings {
  priority: number;
  strategy: RoutingStrategy;
  requirements: SkillRequirement[];
  relaxation: RelaxationStep[];
  agingSecondsPerLevel: number | null;
  maxWaitSeconds: number | null;
  overflow: OverflowTarget | null;
  /** An offer rings this long before the agent is set NotReady (missed) and the next agent is tried. */
  offerTimeoutSeconds: number;
  /** After-call work before the agent is Available again (0: none). */
  wrapUpSeconds: number;
  /** How often a waiting caller hears their position and expected wait (null: never). */
  announceEverySeconds: number | null;
  /** An uploaded prompt played as music on hold (null: the built-in music). */
  holdMusicPromptId: string | null;
  /** Disposition codes an agent chooses from at wrap-up. */
  dispositions: string[];
  /** Service level threshold T in seconds ("answered within T"). */
  serviceLevelSeconds: number;
}

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = {
  priority: 0, strategy: 'longest-idle', requirements: [], relaxation: [], agingSecondsPerLevel: null, maxWaitSeconds: null, overflow: null,
  offerTimeoutSeconds: 20, wrapUpSeconds: 10, announceEverySeconds: 30, holdMusicPromptId: null, dispositions: [], serviceLevelSeconds: 20,
};

/** The JSON Schema of queue settings in the API (every field optional on write: defaults fill in). */
export const QUEUE_SETTINGS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    priority: { type: 'integer', minimum: 0, maximum: 100 },
    strategy: { type: 'string', enum: ['longest-idle', 'least-occupied', 'round-robin'] },
    requirements: {
      type: 'array', maxItems: 20,
      items: { type: 'object', required: ['skill', 'minProficiency'], additionalProperties: false, properties: { skill: { type: 'string', minLength: 1, maxLength: 64 }, minProficiency: { type: 'integer', minimum: 1, maximum: 5 } } },
    },
    relaxation: {
      type: 'array', maxItems: 10,
      items: {
        type: 'object', required: ['afterSeconds'], additionalProperties: false,
        properties: {
          afterSeconds: { type: 'integer', minimum: 1, maximum: 86_400 },
          drop: { type: 'array', maxItems: 20, items: { type: 'string', minLength: 1, maxLength: 64 } },
          lower: {
            type: 'array', maxItems: 20,
            items: { type: 'object', required: ['skill', 'minProficiency'], additionalProperties: false, properties: { skill: { type: 'string', minLength: 1, maxLength: 64 }, minProficiency: { type: 'integer', minimum: 1, maximum: 5 } } },
          },
        },
      },
    },
    agingSecondsPerLevel: { type: ['integer', 'null'], minimum: 1, maximum: 86_400 },
    maxWaitSeconds: { type: ['integer', 'null'], minimum: 5, maximum: 86_400 },
    overflow: {
      anyOf: [
        { type: 'null' },
        { type: 'object', required: ['kind', 'queueId'], additionalProperties: false, properties: { kind: { const: 'queue' }, queueId: { type: 'string', minLength: 1, maxLength: 64 } } },
        { type: 'object', required: ['kind'], additionalProperties: false, properties: { kind: { type: 'string', enum: ['voicemail', 'callback', 'hangup'] } } },
      ],
    },
    offerTimeoutSeconds: { type: 'integer', minimum: 5, maximum: 300 },
    wrapUpSeconds: { type: 'integer', minimum: 0, maximum: 3600 },
    announceEverySeconds: { type: ['integer', 'null'], minimum: 10, maximum: 600 },
    holdMusicPromptId: { type: ['string', 'null'], minLength: 1, maxLength: 64 },
    dispositions: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 64 } },
    serviceLevelSeconds: { type: 'integer', minimum: 1, maximum: 3600 },
  },
} as const;

export function withDefaults(partial: Partial<QueueSettings>, base: QueueSettings = DEFAULT_QUEUE_SETTINGS): QueueSettings {
  const out = { ...base };
  for (const [k, v] of Object.entries(partial)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  out.relaxation = [...out.relaxation].sort((a, b) => a.afterSeconds - b.afterSeconds);
  return out;
}

/** The routing core's view of a queue. */
export function coreQueue(id: string, s: QueueSettings): Queue {
  return {
    id, priority: s.priority, strategy: s.strategy, requirements: s.requirements, relaxation: s.relaxation,
    agingSecondsPerLevel: s.agingSecondsPerLevel ?? undefined, maxWaitSeconds: s.maxWaitSeconds ?? undefined, overflow: s.overflow ?? undefined,
  };
}
