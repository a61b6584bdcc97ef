// An IVR flow as a JSON document: a start node and a map of named nodes, each of one verb type.
// Validated twice before it may be published: against the JSON Schema below (shape, types,
// ranges; Ajv, draft 2020-12), then for meaning (every branch names a node that exists, the start
// exists, every queue and calendar named exists in the workspace). Errors carry the JSON Pointer of
// the offending value (RFC 6901), e.g. `/nodes/main/options/1`.
import { Ajv2020 } from 'ajv/dist/2020.js';

/** Spoken languages of prompts (ISO 639-3): English, Mandarin, Cantonese. */
export const FLOW_LANGUAGES = ['en', 'cmn', 'yue'] as const;
export type FlowLanguage = (typeof FLOW_LANGUAGES)[number];

/** What a caller hears: text spoken in their language, an uploaded recording, or a tone. */
export type Prompt =
  | { say: Partial<Record<FlowLanguage, string>> }
  | { recording: string | Partial<Record<FlowLanguage, string>> }
  | { tone: 'beep' | 'ringback' | 'busy' }
  | { silenceMs: number };

/** One prompt or several played in order. */
export type Prompts = Prompt | Prompt[];

export interface SkillNeed { skill: string; minProficiency: number }

export type TransferTarget = { extension: string } | { number: string } | { queue: string };

export type FlowNode =
  | { type: 'play'; prompt: Prompts; bargeIn?: boolean; next: string; fallback?: string }
  | {
    type: 'menu'; prompt: Prompts; options: Record<string, string>; timeoutSeconds?: number; retries?: number;
    invalidPrompt?: Prompts; noInputPrompt?: Prompts; fallback: string;
  }
  | {
    type: 'gather'; prompt: Prompts; variable: string; minDigits?: number; maxDigits: number; terminator?: string;
    timeoutSeconds?: number; interDigitSeconds?: number; retries?: number; invalidPrompt?: Prompts; next: string; fallback: string;
  }
  | { type: 'setLanguage'; language: FlowLanguage; next: string }
  | { type: 'businessHours'; calendarId: string; open: string; closed: string }
  | {
    type: 'httpLookup'; url: string; method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: Record<string, string>;
    timeoutMs?: number; cacheSeconds?: number; variable: string; next: string; fallback: string;
  }
  | { type: 'setVariables'; values: Record<string, string>; next: string }
  | { type: 'branch'; variable: string; cases: Record<string, string>; default: string }
  | {
    type: 'queue'; queueId: string; priority?: number; skills?: SkillNeed[]; matchLanguage?: boolean;
    /** Offered while waiting: press this key to be called back and keep one's place. */
    callbackKey?: string;
  }
  | { type: 'voicemail'; prompt?: Prompts; maxSeconds?: number }
  | { type: 'callback'; queueId: string; prompt?: Prompts; numberVariable?: string }
  | { type: 'transfer'; target: TransferTarget; prompt?: Prompts }
  | { type: 'hangup'; prompt?: Prompts };

export type FlowNodeType = FlowNode['type'];

export interface FlowDocument {
  start: string;
  defaultLanguage: FlowLanguage;
  nodes: Record<string, FlowNode>;
}

/** Where a flow is wrong: a JSON Pointer into the document and what is wrong there. */
export interface FlowIssue { path: string; message: string }

export type FlowValidation = { ok: true; flow: FlowDocument } | { ok: false; issues: FlowIssue[] };

const nodeId = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' } as const;
const text = { type: 'string', minLength: 1, maxLength: 2000 } as const;
const perLanguage = (value: object) => ({
  type: 'object', minProperties: 1, additionalProperties: false,
  properties: Object.fromEntries(FLOW_LANGUAGES.map((l) => [l, value])),
}) as const;
const variableName = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } as const;
const digitKey = { type: 'string', pattern: '^[0-9*#]$' } as const;

const PROMPT = {
  oneOf: [
    { type: 'object', required: ['say'], additionalProperties: false, properties: { say: perLanguage(text) } },
    {
      type: 'object', required: ['recording'], additionalProperties: false,
      properties: { recording: { oneOf: [{ type: 'string', minLength: 1, maxLength: 64 }, perLanguage({ type: 'string', minLength: 1, maxLength: 64 })] } },
    },
    { type: 'object', required: ['tone'], additionalProperties: false, properties: { tone: { enum: ['beep', 'ringback', 'busy'] } } },
    { type: 'object', required: ['silenceMs'], additionalProperties: false, properties: { silenceMs: { type: 'integer', minimum: 20, maximum: 10_000 } } },
  ],
} as const;
const PROMPTS = { oneOf: [PROMPT, { type: 'array', minItems: 1, maxItems: 20, items: PROMPT }] } as const;

const node = (type: string, required: string[], properties: Record<string, object>) => ({
  if: { type: 'object', required: ['type'], properties: { type: { const: type } } },
  then: { type: 'object', required: ['type', ...required], additionalProperties: false, properties: { type: { const: type }, ...properties } },
});

const NODE_TYPES: readonly FlowNodeType[] = [
  'play', 'menu', 'gather', 'setLanguage', 'businessHours', 'httpLookup', 'setVariables', 'branch', 'queue', 'voicemail', 'callback', 'transfer', 'hangup',
];

/** The JSON Schema of a flow document (also served to the admin console's editor). */
export const FLOW_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://switchboard.invalid/schemas/ivr-flow.json',
  title: 'Switchboard IVR flow',
  type: 'object',
  required: ['start', 'defaultLanguage', 'nodes'],
  additionalProperties: false,
  properties: {
    start: nodeId,
    defaultLanguage: { enum: [...FLOW_LANGUAGES] },
    nodes: {
      type: 'object', minProperties: 1, maxProperties: 500,
      propertyNames: nodeId,
      additionalProperties: {
        type: 'object',
        required: ['type'],
        properties: { type: { enum: [...NODE_TYPES] } },
        allOf: [
          node('play', ['prompt', 'next'], { prompt: PROMPTS, bargeIn: { type: 'boolean' }, next: nodeId, fallback: nodeId }),
          node('menu', ['prompt', 'options', 'fallback'], {
            prompt: PROMPTS, options: { type: 'object', minProperties: 1, propertyNames: digitKey, additionalProperties: nodeId },
            timeoutSeconds: { type: 'number', minimum: 1, maximum: 60 }, retries: { type: 'integer', minimum: 0, maximum: 10 },
            invalidPrompt: PROMPTS, noInputPrompt: PROMPTS, fallback: nodeId,
          }),
          node('gather', ['prompt', 'variable', 'maxDigits', 'next', 'fallback'], {
            prompt: PROMPTS, variable: variableName, minDigits: { type: 'integer', minimum: 1, maximum: 64 }, maxDigits: { type: 'integer', minimum: 1, maximum: 64 },
            terminator: { type: 'string', pattern: '^[*#]$' }, timeoutSeconds: { type: 'number', minimum: 1, maximum: 120 },
            interDigitSeconds: { type: 'number', minimum: 1, maximum: 30 }, retries: { type: 'integer', minimum: 0, maximum: 10 },
            invalidPrompt: PROMPTS, next: nodeId, fallback: nodeId,
          }),
          node('setLanguage', ['language', 'next'], { language: { enum: [...FLOW_LANGUAGES] }, next: nodeId }),
          node('businessHours', ['calendarId', 'open', 'closed'], { calendarId: { type: 'string', minLength: 1, maxLength: 64 }, open: nodeId, closed: nodeId }),
          node('httpLookup', ['url', 'variable', 'next', 'fallback'], {
            url: { type: 'string', minLength: 8, maxLength: 2000, pattern: '^https?://' }, method: { enum: ['GET', 'POST'] },
            headers: { type: 'object', maxProperties: 20, propertyNames: { pattern: '^[A-Za-z0-9-]{1,64}$' }, additionalProperties: { type: 'string', maxLength: 2000 } },
            body: { type: 'object', maxProperties: 50, propertyNames: variableName, additionalProperties: { type: 'string', maxLength: 2000 } },
            timeoutMs: { type: 'integer', minimum: 100, maximum: 30_000 }, cacheSeconds: { type: 'integer', minimum: 0, maximum: 86_400 },
            variable: variableName, next: nodeId, fallback: nodeId,
          }),
          node('setVariables', ['values', 'next'], {
            values: { type: 'object', minProperties: 1, maxProperties: 50, propertyNames: variableName, additionalProperties: { type: 'string', maxLength: 2000 } }, next: nodeId,
          }),
          node('branch', ['variable', 'cases', 'default'], {
            variable: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*$' },
            cases: { type: 'object', maxProperties: 100, additionalProperties: nodeId }, default: nodeId,
          }),
          node('queue', ['queueId'], {
            queueId: { type: 'string', minLength: 1, maxLength: 64 }, priority: { type: 'integer', minimum: 0, maximum: 100 },
            skills: {
              type: 'array', maxItems: 10,
              items: { type: 'object', required: ['skill', 'minProficiency'], additionalProperties: false, properties: { skill: { type: 'string', minLength: 1, maxLength: 64 }, minProficiency: { type: 'integer', minimum: 1, maximum: 5 } } },
            },
            matchLanguage: { type: 'boolean' }, callbackKey: digitKey,
          }),
          node('voicemail', [], { prompt: PROMPTS, maxSeconds: { type: 'integer', minimum: 5, maximum: 600 } }),
          node('callback', ['queueId'], { queueId: { type: 'string', minLength: 1, maxLength: 64 }, prompt: PROMPTS, numberVariable: variableName }),
          node('transfer', ['target'], {
            target: {
              oneOf: [
                { type: 'object', required: ['extension'], additionalProperties: false, properties: { extension: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,32}$' } } },
                { type: 'object', required: ['number'], additionalProperties: false, properties: { number: { type: 'string', pattern: '^\\+?[0-9]{3,20}$' } } },
                { type: 'object', required: ['queue'], additionalProperties: false, properties: { queue: { type: 'string', minLength: 1, maxLength: 64 } } },
              ],
            },
            prompt: PROMPTS,
          }),
          node('hangup', [], { prompt: PROMPTS }),
        ],
      },
    },
  },
} as const;

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
const checkShape = ajv.compile(FLOW_SCHEMA);

/** The names every branch of a node points to, with their paths. */
export function branchesOf(id: string, n: FlowNode): { path: string; target: string }[] {
  const at = (k: string) => `/nodes/${escape(id)}/${k}`;
  const out: { path: string; target: string }[] = [];
  const add = (k: string, t: string | undefined) => { if (t !== undefined) out.push({ path: at(k), target: t }); };
  switch (n.type) {
    case 'play': add('next', n.next); add('fallback', n.fallback); break;
    case 'menu': for (const [d, t] of Object.entries(n.options)) add(`options/${escape(d)}`, t); add('fallback', n.fallback); break;
    case 'gather': add('next', n.next); add('fallback', n.fallback); break;
    case 'setLanguage': case 'setVariables': add('next', n.next); break;
    case 'httpLookup': add('next', n.next); add('fallback', n.fallback); break;
    case 'businessHours': add('open', n.open); add('closed', n.closed); break;
    case 'branch': for (const [v, t] of Object.entries(n.cases)) add(`cases/${escape(v)}`, t); add('default', n.default); break;
    default: break;
  }
  return out;
}

/** RFC 6901 §3: `~` and `/` in a reference token. */
const escape = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');

/** What a flow refers to outside itself, checked against the workspace before publishing. */
export interface FlowReferences {
  queueExists(id: string): Promise<boolean>;
  calendarExists(id: string): Promise<boolean>;
  recordingExists?(id: string): Promise<boolean>;
}

/** Shape and meaning of a flow; `refs` also checks the queues and calendars it names. */
export async function validateFlow(input: unknown, refs?: FlowReferences): Promise<FlowValidation> {
  if (!checkShape(input)) {
    const issues = (checkShape.errors ?? []).filter((e) => !['if', 'oneOf', 'allOf', 'propertyNames'].includes(e.keyword)).map((e) => (
      // A bad key: Ajv names it in `propertyName`, at the object's own path.
      typeof e.propertyName === 'string' ? { ...e, instancePath: `${e.instancePath}/${escape(e.propertyName)}`, message: `is not an allowed key (${e.message ?? 'invalid'})` } : e
    ));
    // oneOf lists every alternative's complaint; the most specific (deepest) ones say the most.
    const deepest = Math.max(0, ...issues.map((e) => e.instancePath.length));
    const chosen = issues.length ? issues.filter((e) => e.instancePath.length === deepest) : checkShape.errors ?? [];
    return {
      ok: false,
      issues: dedupe(chosen.map((e) => ({
        path: e.keyword === 'required' ? `${e.instancePath}/${String(e.params['missingProperty'])}`
          : e.keyword === 'additionalProperties' ? `${e.instancePath}/${String(e.params['additionalProperty'])}` : e.instancePath || '/',
        message: e.keyword === 'required' ? 'is required'
          : e.keyword === 'additionalProperties' ? 'is not a known field' : e.message ?? 'is not valid',
      }))),
    };
  }
  const flow = input as unknown as FlowDocument;
  const issues: FlowIssue[] = [];
  if (!flow.nodes[flow.start]) issues.push({ path: '/start', message: `names no node ("${flow.start}")` });
  for (const [id, n] of Object.entries(flow.nodes)) {
    for (const b of branchesOf(id, n)) if (!flow.nodes[b.target]) issues.push({ path: b.path, message: `names no node ("${b.target}")` });
    if (n.type === 'gather' && n.minDigits !== undefined && n.minDigits > n.maxDigits) issues.push({ path: `/nodes/${escape(id)}/minDigits`, message: 'is more than maxDigits' });
  }
  if (refs) {
    for (const [id, n] of Object.entries(flow.nodes)) {
      const queueId = n.type === 'queue' || n.type === 'callback' ? n.queueId : n.type === 'transfer' && 'queue' in n.target ? n.target.queue : undefined;
      if (queueId !== undefined && !(await refs.queueExists(queueId))) {
        issues.push({ path: `/nodes/${escape(id)}/${n.type === 'transfer' ? 'target/queue' : 'queueId'}`, message: `names no queue of this workspace ("${queueId}")` });
      }
      if (n.type === 'businessHours' && !(await refs.calendarExists(n.calendarId))) {
        issues.push({ path: `/nodes/${escape(id)}/calendarId`, message: `names no calendar of this workspace ("${n.calendarId}")` });
      }
      if (refs.recordingExists) {
        for (const { path, id: rec } of recordingsOf(id, n)) if (!(await refs.recordingExists(rec))) issues.push({ path, message: `names no uploaded prompt ("${rec}")` });
      }
    }
  }
  return issues.length ? { ok: false, issues } : { ok: true, flow };
}

function recordingsOf(id: string, n: FlowNode): { path: string; id: string }[] {
  const out: { path: string; id: string }[] = [];
  const scan = (key: string, p: Prompts | undefined) => {
    if (!p) return;
    const list = Array.isArray(p) ? p : [p];
    list.forEach((one, i) => {
      if (!('recording' in one)) return;
      const base = `/nodes/${escape(id)}/${key}${Array.isArray(p) ? `/${i}` : ''}/recording`;
      if (typeof one.recording === 'string') out.push({ path: base, id: one.recording });
      else for (const [l, r] of Object.entries(one.recording)) if (r) out.push({ path: `${base}/${l}`, id: r });
    });
  };
  for (const key of ['prompt', 'invalidPrompt', 'noInputPrompt'] as const) scan(key, (n as Record<string, unknown>)[key] as Prompts | undefined);
  return out;
}

const dedupe = (issues: FlowIssue[]) => issues.filter((x, i) => issues.findIndex((y) => y.path === x.path && y.message === x.message) === i);
