// The contact center's configuration and live controls: numbers (DIDs) and what unknown numbers
// hear, IVR flows (versions, validation, publishing) and uploaded prompts, ACD queues, agents'
// skills and states, wrap-up, the interaction records, and an agent's controls of their call.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Directory } from '../../auth/index.ts';
import type { AuditRecord } from '../../audit/index.ts';
import type { TicketChannel } from '../../channels/tickets/index.ts';
import { DomainError, notFound } from '../../kernel/index.ts';
import { FLOW_SCHEMA, validateFlow, type FlowReferences, type Flows, type PromptLibrary } from '../../ivr/index.ts';
import { QUEUE_SETTINGS_SCHEMA, type AgentView, type ChosenState, type QueueSettings, type RoutingEngine, type StoredQueue } from '../../routing/index.ts';
import type { InteractionStore } from '../../interactions/index.ts';
import type { ContactCalls, Destination, Numbers } from '../../voice/index.ts';
import { principalOf } from '../auth-hook.ts';
import { requires } from '../fastify-types.ts';
import { id, idParams, listOf } from '../schemas.ts';

export interface ContactCenterRouteDeps {
  audit: { append(rec: AuditRecord): Promise<void> };
  numbers: Numbers;
  flows: Flows;
  prompts: PromptLibrary;
  routing: RoutingEngine;
  interactions: InteractionStore;
  directory: Directory;
  /** Live calls; undefined when SIP is off. */
  calls: ContactCalls | undefined;
  /** The task channel (tickets routed to agents), whose offers an agent accepts on the desktop. */
  tasks: Pick<TicketChannel, 'accept'>;
  references(tenantId: string): FlowReferences;
}

const actor = (req: FastifyRequest) => {
  const p = principalOf(req);
  return { userId: p.userId, name: p.name, ip: req.ip };
};
const tenant = (req: FastifyRequest) => principalOf(req).tenantId;

const anyObject = { type: 'object', additionalProperties: true } as const;
const nullableString = { type: ['string', 'null'] } as const;

const numberSchema = {
  type: 'object', required: ['id', 'number', 'label', 'flowId', 'createdAt'],
  properties: { id: { type: 'string' }, number: { type: 'string' }, label: nullableString, flowId: nullableString, createdAt: { type: 'string' } },
} as const;
const flowSchema = {
  type: 'object', required: ['id', 'name', 'description', 'publishedVersion', 'latestVersion', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' }, name: { type: 'string' }, description: nullableString, publishedVersion: { type: ['integer', 'null'] },
    latestVersion: { type: 'integer' }, createdAt: { type: 'string' }, updatedAt: { type: 'string' },
  },
} as const;
const issueSchema = { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } } as const;
const versionSchema = {
  type: 'object', required: ['version', 'document', 'createdAt', 'createdBy', 'publishedAt', 'issues'],
  properties: {
    version: { type: 'integer' }, document: {}, createdAt: { type: 'string' }, createdBy: nullableString, publishedAt: nullableString,
    issues: { type: 'array', items: issueSchema },
  },
} as const;
const promptSchema = {
  type: 'object', required: ['id', 'name', 'durationMs', 'bytes', 'createdAt'],
  properties: { id: { type: 'string' }, name: { type: 'string' }, durationMs: { type: 'integer' }, bytes: { type: 'integer' }, createdAt: { type: 'string' } },
} as const;
const queueSchema = {
  type: 'object', required: ['id', 'name', 'settings', 'stats', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' }, name: { type: 'string' }, settings: anyObject, createdAt: { type: 'string' }, updatedAt: { type: 'string' },
    stats: { type: 'object', required: ['waiting', 'longestWaitMs', 'offered'], properties: { waiting: { type: 'integer' }, longestWaitMs: { type: 'integer' }, offered: { type: 'integer' } } },
  },
} as const;
const channels = { type: 'object', additionalProperties: { type: 'integer' } } as const;
const agentSchema = {
  type: 'object', required: ['id', 'displayName', 'state', 'reason', 'stateSince', 'skills', 'capacity', 'load', 'pending', 'wrapUpContactId'],
  properties: {
    id: { type: 'string' }, displayName: { type: 'string' }, state: { type: 'string' }, reason: nullableString, stateSince: { type: 'string' },
    skills: channels, capacity: channels, load: channels, wrapUpContactId: nullableString,
    pending: { anyOf: [{ type: 'null' }, { type: 'object', required: ['state', 'reason'], properties: { state: { type: 'string' }, reason: nullableString } }] },
  },
} as const;
const segmentSchema = {
  type: 'object',
  properties: {
    seq: { type: 'integer' }, kind: { type: 'string' }, agentId: nullableString, queueId: nullableString, startedAt: { type: 'string' },
    endedAt: nullableString, outcome: nullableString, data: { anyOf: [{ type: 'null' }, anyObject] },
  },
} as const;
const interactionSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, channel: { type: 'string' }, direction: { type: 'string' }, customerAddress: nullableString, customerId: nullableString,
    dialled: nullableString, flowId: nullableString, language: nullableString, queueId: nullableString, agentId: nullableString,
    arrivedAt: { type: 'string' }, ivrEnteredAt: nullableString, ivrLeftAt: nullableString, queuedAt: nullableString, firstOfferedAt: nullableString,
    answeredAt: nullableString, endedAt: nullableString, wrapUpEndedAt: nullableString, outcome: nullableString, endedBy: nullableString,
    offers: { type: 'integer' }, transfers: { type: 'integer' }, holds: { type: 'integer' }, holdMs: { type: 'integer' },
    disposition: nullableString, notes: nullableString, recordingId: nullableString, ivrPath: { type: 'array', items: anyObject },
    segments: { type: 'array', items: segmentSchema },
  },
} as const;

const skillsBody = { type: 'object', maxProperties: 100, propertyNames: { minLength: 1, maxLength: 64 }, additionalProperties: { type: 'integer', minimum: 1, maximum: 5 } } as const;
const capacityBody = {
  type: 'object', additionalProperties: false,
  properties: {
    voice: { type: 'integer', minimum: 0, maximum: 1 }, chat: { type: 'integer', minimum: 0, maximum: 20 }, email: { type: 'integer', minimum: 0, maximum: 50 },
    message: { type: 'integer', minimum: 0, maximum: 50 }, task: { type: 'integer', minimum: 0, maximum: 50, description: 'tickets routed to the agent at once' },
  },
} as const;
const stateBody = {
  type: 'object', required: ['state'], additionalProperties: false,
  properties: { state: { type: 'string', enum: ['Available', 'NotReady', 'Offline'] }, reason: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;
const destinationBody = {
  oneOf: [
    { type: 'object', required: ['agent'], additionalProperties: false, properties: { agent: id } },
    { type: 'object', required: ['queue'], additionalProperties: false, properties: { queue: id } },
    { type: 'object', required: ['extension'], additionalProperties: false, properties: { extension: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,32}$' } } },
    { type: 'object', required: ['number'], additionalProperties: false, properties: { number: { type: 'string', pattern: '^\\+?[0-9]{3,20}$' } } },
  ],
} as const;
const ok = { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } } as const;
const personDestination = { oneOf: destinationBody.oneOf.filter((o) => !('queue' in o.properties)) } as const;
const callSummary = {
  type: 'object',
  properties: {
    callId: { type: 'string' }, phase: { type: 'string' }, caller: { type: 'string' }, dialled: { type: 'string' }, agentId: nullableString, queueId: nullableString,
    language: { type: 'string' }, muted: { type: 'boolean' }, recording: { type: 'boolean' }, consulting: { type: 'boolean' }, conference: { type: 'boolean' },
    monitoredBy: nullableString,
  },
} as const;
const monitorBody = { type: 'object', required: ['mode'], additionalProperties: false, properties: { mode: { type: 'string', enum: ['listen', 'whisper', 'barge'] } } } as const;

export async function contactCenterRoutes(app: FastifyInstance, d: ContactCenterRouteDeps): Promise<void> {
  const agentView = async (tenantId: string, a: AgentView) => {
    const user = await d.directory.getUser(tenantId, a.id).catch(() => undefined);
    return {
      id: a.id, displayName: user?.displayName ?? a.id, state: a.state, reason: a.reason, stateSince: new Date(a.stateSince).toISOString(),
      skills: a.skills, capacity: a.capacity, load: a.load, pending: a.pending, wrapUpContactId: a.wrapUpContactId,
    };
  };
  /** A user of the caller's workspace (another workspace's ids answer 404 like missing ones). */
  const agentId = async (req: FastifyRequest, userId: string) => {
    await d.directory.getUser(tenant(req), userId);
    return userId;
  };
  const withStats = async (tenantId: string, q: StoredQueue) => ({ ...q, stats: await d.routing.queueStats(tenantId, q.id) });

  // ---- Numbers -----------------------------------------------------------------------------------
  app.get('/api/numbers', {
    config: requires('flows.read'), schema: { tags: ['numbers'], summary: 'Numbers (DIDs) and the flows that answer them', response: { 200: listOf(numberSchema) } },
  }, async (req) => ({ items: await d.numbers.list(tenant(req)) }));

  app.post<{ Body: { number: string; label?: string | null; flowId?: string | null } }>('/api/numbers', {
    config: requires('numbers.manage'),
    schema: {
      tags: ['numbers'], summary: 'Add a number; calls to it run its flow',
      body: { type: 'object', required: ['number'], additionalProperties: false, properties: { number: { type: 'string', pattern: '^\\+?[0-9]{3,20}$' }, label: { type: ['string', 'null'], maxLength: 128 }, flowId: { anyOf: [id, { type: 'null' }] } } },
      response: { 201: numberSchema },
    },
  }, async (req, reply) => {
    if (req.body.flowId) await d.flows.get(tenant(req), req.body.flowId);
    return reply.status(201).send(await d.numbers.create(tenant(req), req.body, actor(req)));
  });

  app.patch<{ Params: { id: string }; Body: { label?: string | null; flowId?: string | null } }>('/api/numbers/:id', {
    config: requires('numbers.manage'),
    schema: {
      tags: ['numbers'], summary: 'Change a number\'s label or flow', params: idParams,
      body: { type: 'object', additionalProperties: false, properties: { label: { type: ['string', 'null'], maxLength: 128 }, flowId: { anyOf: [id, { type: 'null' }] } } },
      response: { 200: numberSchema },
    },
  }, async (req) => {
    if (req.body.flowId) await d.flows.get(tenant(req), req.body.flowId);
    return d.numbers.update(tenant(req), req.params.id, req.body, actor(req));
  });

  app.delete<{ Params: { id: string } }>('/api/numbers/:id', {
    config: requires('numbers.manage'), schema: { tags: ['numbers'], summary: 'Remove a number', params: idParams, response: { 204: { type: 'null' } } },
  }, async (req, reply) => { await d.numbers.remove(tenant(req), req.params.id, actor(req)); return reply.status(204).send(); });

  const treatment = { type: 'object', required: ['status', 'announce'], additionalProperties: false, properties: { status: { type: 'integer', enum: [404, 480] }, announce: { type: 'boolean' } } } as const;
  app.get('/api/voice/unknown-number', {
    config: requires('flows.read'), schema: { tags: ['numbers'], summary: 'What callers of a number this workspace does not have hear', response: { 200: treatment } },
  }, async (req) => d.numbers.unknownNumberTreatment(tenant(req)));
  app.put<{ Body: { status: 404 | 480; announce: boolean } }>('/api/voice/unknown-number', {
    config: requires('numbers.manage'), schema: { tags: ['numbers'], summary: 'Set the unknown-number announcement and status', body: treatment, response: { 200: treatment } },
  }, async (req) => { await d.numbers.setUnknownNumberTreatment(tenant(req), req.body, actor(req)); return d.numbers.unknownNumberTreatment(tenant(req)); });

  // ---- IVR flows and prompts ---------------------------------------------------------------------
  app.get('/api/flows/schema', {
    config: requires('flows.read'), schema: { tags: ['ivr'], summary: 'The JSON Schema every flow document must match' },
  }, async () => FLOW_SCHEMA);

  app.post<{ Body: { document: unknown } }>('/api/flows/validate', {
    config: requires('flows.read'),
    schema: {
      tags: ['ivr'], summary: 'Check a flow document without saving it: every issue with its JSON Pointer',
      body: { type: 'object', required: ['document'], additionalProperties: false, properties: { document: {} } },
      response: { 200: { type: 'object', required: ['ok', 'issues'], properties: { ok: { type: 'boolean' }, issues: { type: 'array', items: issueSchema } } } },
    },
  }, async (req) => {
    const r = await validateFlow(req.body.document, d.references(tenant(req)));
    return r.ok ? { ok: true, issues: [] } : { ok: false, issues: r.issues };
  });

  app.get('/api/flows', {
    config: requires('flows.read'), schema: { tags: ['ivr'], summary: 'IVR flows', response: { 200: listOf(flowSchema) } },
  }, async (req) => ({ items: await d.flows.list(tenant(req)) }));

  app.post<{ Body: { name: string; description?: string | null; document: unknown } }>('/api/flows', {
    config: requires('flows.manage'),
    schema: {
      tags: ['ivr'], summary: 'Create a flow (its first version is a draft until published)',
      body: { type: 'object', required: ['name', 'document'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1, maxLength: 128 }, description: { type: ['string', 'null'], maxLength: 1000 }, document: { type: 'object' } } },
      response: { 201: flowSchema },
    },
  }, async (req, reply) => reply.status(201).send(await d.flows.create(tenant(req), req.body, actor(req))));

  app.get<{ Params: { id: string } }>('/api/flows/:id', {
    config: requires('flows.read'),
    schema: { tags: ['ivr'], summary: 'A flow with its latest version', params: idParams, response: { 200: { type: 'object', required: ['flow', 'latest'], properties: { flow: flowSchema, latest: versionSchema } } } },
  }, async (req) => {
    const flow = await d.flows.get(tenant(req), req.params.id);
    return { flow, latest: await d.flows.version(tenant(req), flow.id, flow.latestVersion) };
  });

  app.get<{ Params: { id: string; version: string } }>('/api/flows/:id/versions/:version', {
    config: requires('flows.read'),
    schema: {
      tags: ['ivr'], summary: 'One version of a flow',
      params: { type: 'object', required: ['id', 'version'], additionalProperties: false, properties: { id, version: { type: 'string', pattern: '^[1-9][0-9]{0,8}$' } } },
      response: { 200: versionSchema },
    },
  }, async (req) => {
    await d.flows.get(tenant(req), req.params.id);
    return d.flows.version(tenant(req), req.params.id, Number(req.params.version));
  });

  app.post<{ Params: { id: string }; Body: { document: unknown } }>('/api/flows/:id/versions', {
    config: requires('flows.manage'),
    schema: {
      tags: ['ivr'], summary: 'Save a new version (with what would stop it being published)', params: idParams,
      body: { type: 'object', required: ['document'], additionalProperties: false, properties: { document: { type: 'object' } } }, response: { 201: versionSchema },
    },
  }, async (req, reply) => reply.status(201).send(await d.flows.saveVersion(tenant(req), req.params.id, req.body.document, actor(req))));

  app.post<{ Params: { id: string }; Body: { version?: number } }>('/api/flows/:id/publish', {
    config: requires('flows.manage'),
    schema: {
      tags: ['ivr'], summary: 'Publish a version (default: the latest); 422 SB_IVR_FLOW_INVALID lists every issue', params: idParams,
      body: { type: 'object', additionalProperties: false, properties: { version: { type: 'integer', minimum: 1 } } }, response: { 200: flowSchema },
    },
  }, async (req) => d.flows.publish(tenant(req), req.params.id, req.body?.version, actor(req)));

  app.delete<{ Params: { id: string } }>('/api/flows/:id', {
    config: requires('flows.manage'), schema: { tags: ['ivr'], summary: 'Delete a flow and its versions', params: idParams, response: { 204: { type: 'null' } } },
  }, async (req, reply) => {
    if ((await d.numbers.list(tenant(req))).some((n) => n.flowId === req.params.id)) throw new DomainError('SB_IVR_FLOW_IN_USE', 409, 'a number is answered by this flow');
    await d.flows.remove(tenant(req), req.params.id, actor(req));
    return reply.status(204).send();
  });

  app.get('/api/prompts', {
    config: requires('flows.read'), schema: { tags: ['ivr'], summary: 'Uploaded prompts', response: { 200: listOf(promptSchema) } },
  }, async (req) => ({ items: await d.prompts.list(tenant(req)) }));

  app.post<{ Querystring: { name: string }; Body: Buffer }>('/api/prompts', {
    config: requires('flows.manage'), bodyLimit: 20 * 1024 * 1024,
    schema: {
      tags: ['ivr'], summary: 'Upload a WAV prompt (Content-Type audio/wav; PCM16, µ-law or A-law, any rate; kept as 8 kHz)',
      querystring: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1, maxLength: 128 } } },
      response: { 201: promptSchema },
    },
  }, async (req, reply) => {
    if (!Buffer.isBuffer(req.body)) throw new DomainError('SB_HTTP_UNSUPPORTED_MEDIA_TYPE', 415, 'send the WAV file as the body with Content-Type audio/wav');
    return reply.status(201).send(await d.prompts.upload(tenant(req), req.query.name, req.body, actor(req)));
  });

  app.delete<{ Params: { id: string } }>('/api/prompts/:id', {
    config: requires('flows.manage'), schema: { tags: ['ivr'], summary: 'Delete an uploaded prompt', params: idParams, response: { 204: { type: 'null' } } },
  }, async (req, reply) => { await d.prompts.remove(tenant(req), req.params.id, actor(req)); return reply.status(204).send(); });

  // ---- Queues ----------------------------------------------------------------------------------------
  app.get('/api/queues', {
    config: requires('queues.read'), schema: { tags: ['routing'], summary: 'Queues with their live counts', response: { 200: listOf(queueSchema) } },
  }, async (req) => ({ items: await Promise.all((await d.routing.queues(tenant(req))).map((q) => withStats(tenant(req), q))) }));

  app.post<{ Body: { name: string; settings?: Partial<QueueSettings> } }>('/api/queues', {
    config: requires('queues.manage'),
    schema: {
      tags: ['routing'], summary: 'Create a queue (unset settings take the defaults)',
      body: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1, maxLength: 128 }, settings: QUEUE_SETTINGS_SCHEMA } },
      response: { 201: queueSchema },
    },
  }, async (req, reply) => reply.status(201).send(await withStats(tenant(req), await d.routing.saveQueue(tenant(req), { name: req.body.name, settings: req.body.settings ?? {} }))));

  app.get<{ Params: { id: string } }>('/api/queues/:id', {
    config: requires('queues.read'), schema: { tags: ['routing'], summary: 'A queue', params: idParams, response: { 200: queueSchema } },
  }, async (req) => withStats(tenant(req), await d.routing.queue(tenant(req), req.params.id)));

  app.patch<{ Params: { id: string }; Body: { name?: string; settings?: Partial<QueueSettings> } }>('/api/queues/:id', {
    config: requires('queues.manage'),
    schema: {
      tags: ['routing'], summary: 'Change a queue (only the settings given)', params: idParams,
      body: { type: 'object', additionalProperties: false, properties: { name: { type: 'string', minLength: 1, maxLength: 128 }, settings: QUEUE_SETTINGS_SCHEMA } },
      response: { 200: queueSchema },
    },
  }, async (req) => {
    const q = await d.routing.queue(tenant(req), req.params.id);
    return withStats(tenant(req), await d.routing.saveQueue(tenant(req), { id: q.id, name: req.body.name ?? q.name, settings: req.body.settings ?? {} }));
  });

  app.delete<{ Params: { id: string } }>('/api/queues/:id', {
    config: requires('queues.manage'), schema: { tags: ['routing'], summary: 'Delete a queue with nobody waiting', params: idParams, response: { 204: { type: 'null' } } },
  }, async (req, reply) => { await d.routing.removeQueue(tenant(req), req.params.id); return reply.status(204).send(); });

  // ---- Agents ----------------------------------------------------------------------------------------
  app.get('/api/agents', {
    config: requires('supervisor.monitor'), schema: { tags: ['routing'], summary: 'Agents: state, time in state, skills, load', response: { 200: listOf(agentSchema) } },
  }, async (req) => ({ items: await Promise.all((await d.routing.agents(tenant(req))).map((a) => agentView(tenant(req), a))) }));

  app.get('/api/agents/me', {
    config: requires('agent.desktop'), schema: { tags: ['routing'], summary: 'My routing state', response: { 200: agentSchema } },
  }, async (req) => agentView(tenant(req), await d.routing.agent(tenant(req), principalOf(req).userId)));

  app.put<{ Body: { state: ChosenState; reason?: string } }>('/api/agents/me/state', {
    config: requires('agent.desktop'),
    schema: { tags: ['routing'], summary: 'Set my state: Available, NotReady (with a reason) or Offline; while busy it applies after wrap-up', body: stateBody, response: { 200: agentSchema } },
  }, async (req) => agentView(tenant(req), await d.routing.setAgentState(tenant(req), principalOf(req).userId, req.body.state, req.body.reason ?? null)));

  app.post<{ Body: { disposition?: string } }>('/api/agents/me/wrap-up', {
    config: requires('agent.desktop'),
    schema: {
      tags: ['routing'], summary: 'End my wrap-up now, with a disposition code of the queue',
      body: { type: 'object', additionalProperties: false, properties: { disposition: { type: 'string', minLength: 1, maxLength: 64 } } }, response: { 200: ok },
    },
  }, async (req) => ({ ok: await d.routing.endWrapUp(tenant(req), principalOf(req).userId, req.body?.disposition ?? null) }));

  app.put<{ Params: { id: string }; Body: { state: ChosenState; reason?: string } }>('/api/agents/:id/state', {
    config: requires('agents.manage'), schema: { tags: ['routing'], summary: 'Force an agent\'s state (supervisors)', params: idParams, body: stateBody, response: { 200: agentSchema } },
  }, async (req) => agentView(tenant(req), await d.routing.setAgentState(tenant(req), await agentId(req, req.params.id), req.body.state, req.body.reason ?? 'supervisor')));

  app.put<{ Params: { id: string }; Body: { skills: Record<string, number>; capacity?: Record<string, number> } }>('/api/agents/:id/profile', {
    config: requires('agents.manage'),
    schema: {
      tags: ['routing'], summary: 'An agent\'s skills (proficiency 1-5; languages as lang:en, lang:cmn, lang:yue) and capacity per channel', params: idParams,
      body: { type: 'object', required: ['skills'], additionalProperties: false, properties: { skills: skillsBody, capacity: capacityBody } }, response: { 200: agentSchema },
    },
  }, async (req) => agentView(tenant(req), await d.routing.setProfile(tenant(req), await agentId(req, req.params.id), req.body)));

  // ---- Interactions ------------------------------------------------------------------------------------
  app.get<{ Querystring: { from?: string; to?: string; before?: string; agentId?: string; queueId?: string; customerId?: string; limit?: string } }>('/api/interactions', {
    config: requires('interactions.read'),
    schema: {
      tags: ['interactions'], summary: 'Interactions, newest first (page with `before` = the last arrivedAt)',
      querystring: {
        type: 'object', additionalProperties: false,
        properties: {
          from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' }, before: { type: 'string', format: 'date-time' },
          agentId: id, queueId: id, customerId: id, limit: { type: 'string', pattern: '^[0-9]{1,3}$' },
        },
      },
      response: { 200: listOf(interactionSchema) },
    },
  }, async (req) => ({ items: await d.interactions.list(tenant(req), { ...req.query, limit: Math.min(Math.max(Number(req.query.limit ?? 50), 1), 500) }) }));

  app.get<{ Params: { id: string } }>('/api/interactions/:id', {
    config: requires('interactions.read'), schema: { tags: ['interactions'], summary: 'An interaction with its segments', params: idParams, response: { 200: interactionSchema } },
  }, async (req) => d.interactions.get(tenant(req), req.params.id));

  // ---- An agent's call controls --------------------------------------------------------------------------
  /** The caller's own live call (supervisors may act on any call of the workspace). */
  const myCall = (req: FastifyRequest, callId: string) => {
    const p = principalOf(req);
    const call = d.calls?.call(p.tenantId, callId);
    if (!call || (call.agentId !== p.userId && !p.permissions.includes('agents.manage'))) throw notFound('call');
    return call;
  };

  app.post<{ Body: { number: string } }>('/api/calls', {
    config: requires('agent.desktop'),
    schema: {
      tags: ['calls'], summary: 'Click-to-dial: my phone rings, then the number is called through the first trunk',
      body: { type: 'object', required: ['number'], additionalProperties: false, properties: { number: { type: 'string', pattern: '^\\+?[0-9]{3,20}$' } } },
      response: { 201: { type: 'object', required: ['callId'], properties: { callId: { type: 'string' } } } },
    },
  }, async (req, reply) => {
    if (!d.calls) throw new DomainError('SB_VOICE_DISABLED', 409, 'SIP is not enabled on this server');
    const p = principalOf(req);
    return reply.status(201).send({ callId: await d.calls.dialOut(p.tenantId, p.userId, req.body.number) });
  });

  app.post<{ Params: { id: string }; Body: { held: boolean } }>('/api/calls/:id/hold', {
    config: requires('agent.desktop'),
    schema: {
      tags: ['calls'], summary: 'Hold (the customer hears music) or resume', params: idParams,
      body: { type: 'object', required: ['held'], additionalProperties: false, properties: { held: { type: 'boolean' } } }, response: { 200: ok },
    },
  }, async (req) => ({ ok: myCall(req, req.params.id).setHeld(req.body.held) }));

  app.post<{ Params: { id: string }; Body: { paused: boolean } }>('/api/calls/:id/recording', {
    config: requires('agent.desktop'),
    schema: {
      tags: ['calls'], summary: 'Pause (silence is recorded, e.g. while a card number is read) or resume the recording', params: idParams,
      body: { type: 'object', required: ['paused'], additionalProperties: false, properties: { paused: { type: 'boolean' } } }, response: { 200: ok },
    },
  }, async (req) => ({ ok: myCall(req, req.params.id).setRecordingPaused(req.body.paused) }));

  app.get('/api/agents/me/calls', {
    config: requires('agent.desktop'), schema: { tags: ['calls'], summary: 'My live calls', response: { 200: listOf(callSummary) } },
  }, async (req) => {
    const p = principalOf(req);
    return { items: (d.calls?.callsOfAgent(p.tenantId, p.userId) ?? []).map((c) => c.summary()) };
  });

  app.post<{ Params: { offerId: string } }>('/api/agents/me/offers/:offerId/reject', {
    config: requires('agent.desktop'),
    schema: {
      tags: ['calls'], summary: 'Turn down an offer ringing for me (I go NotReady, the contact goes to the next agent)',
      params: { type: 'object', required: ['offerId'], additionalProperties: false, properties: { offerId: id } }, response: { 200: ok },
    },
  }, async (req) => {
    const p = principalOf(req);
    return { ok: await d.routing.rejectOffer(p.tenantId, p.userId, req.params.offerId) };
  });

  app.post<{ Params: { offerId: string } }>('/api/agents/me/offers/:offerId/accept', {
    config: requires('agent.desktop'),
    schema: {
      tags: ['calls'], summary: 'Accept a task (a routed ticket) offered to me: the ticket is assigned to me; a call\'s offer is answered on the phone (409)',
      params: { type: 'object', required: ['offerId'], additionalProperties: false, properties: { offerId: id } },
      response: { 200: { type: 'object', required: ['ok', 'contactId', 'ticketId'], properties: { ok: { type: 'boolean' }, contactId: { type: 'string' }, ticketId: { type: 'string' } } } },
    },
  }, async (req) => {
    const p = principalOf(req);
    return { ok: true, ...await d.tasks.accept(p.tenantId, p.userId, req.params.offerId) };
  });

  app.post<{ Params: { id: string }; Body: { muted: boolean } }>('/api/calls/:id/mute', {
    config: requires('agent.desktop'),
    schema: {
      tags: ['calls'], summary: 'Mute me towards the customer (the recording still hears me)', params: idParams,
      body: { type: 'object', required: ['muted'], additionalProperties: false, properties: { muted: { type: 'boolean' } } }, response: { 200: ok },
    },
  }, async (req) => ({ ok: myCall(req, req.params.id).setMuted(req.body.muted) }));

  app.post<{ Params: { id: string }; Body: { digits: string } }>('/api/calls/:id/dtmf', {
    config: requires('agent.desktop'),
    schema: {
      tags: ['calls'], summary: 'Send keys to the customer\'s side (RFC 4733, else tones)', params: idParams,
      body: { type: 'object', required: ['digits'], additionalProperties: false, properties: { digits: { type: 'string', pattern: '^[0-9*#A-D]{1,32}$' } } }, response: { 200: ok },
    },
  }, async (req) => ({ ok: await myCall(req, req.params.id).sendDigits(req.body.digits) }));

  app.post<{ Params: { id: string } }>('/api/calls/:id/hangup', {
    config: requires('agent.desktop'), schema: { tags: ['calls'], summary: 'Hang up my call', params: idParams, response: { 200: ok } },
  }, async (req) => ({ ok: await myCall(req, req.params.id).hangupByAgent() }));

  app.post<{ Params: { id: string }; Body: { target: Exclude<Destination, { queue: string }> } }>('/api/calls/:id/consult', {
    config: requires('agent.desktop'),
    schema: {
      tags: ['calls'], summary: 'Consult: the customer holds (music) while I talk to an agent, an extension or a number; answers once they pick up',
      params: idParams, body: { type: 'object', required: ['target'], additionalProperties: false, properties: { target: personDestination } }, response: { 200: ok },
    },
  }, async (req) => {
    const call = myCall(req, req.params.id);
    if ('agent' in req.body.target) await agentId(req, req.body.target.agent);
    return { ok: await call.consult(req.body.target) };
  });

  app.post<{ Params: { id: string } }>('/api/calls/:id/consult/complete', {
    config: requires('agent.desktop'), schema: { tags: ['calls'], summary: 'Complete the consultation: the customer is handed to the person I consulted', params: idParams, response: { 200: ok } },
  }, async (req) => ({ ok: myCall(req, req.params.id).completeConsult() }));

  app.post<{ Params: { id: string } }>('/api/calls/:id/consult/cancel', {
    config: requires('agent.desktop'), schema: { tags: ['calls'], summary: 'Cancel the consultation and go back to the customer', params: idParams, response: { 200: ok } },
  }, async (req) => ({ ok: myCall(req, req.params.id).cancelConsult() }));

  app.post<{ Params: { id: string }; Body: { target: Exclude<Destination, { queue: string }> } }>('/api/calls/:id/conference', {
    config: requires('agent.desktop'),
    schema: {
      tags: ['calls'], summary: 'Three-way conference: the target rings, then the three of us hear each other', params: idParams,
      body: { type: 'object', required: ['target'], additionalProperties: false, properties: { target: personDestination } }, response: { 200: ok },
    },
  }, async (req) => {
    const call = myCall(req, req.params.id);
    if ('agent' in req.body.target) await agentId(req, req.body.target.agent);
    return { ok: await call.conference(req.body.target) };
  });

  app.delete<{ Params: { id: string } }>('/api/calls/:id/conference', {
    config: requires('agent.desktop'), schema: { tags: ['calls'], summary: 'End the conference (the third party is hung up)', params: idParams, response: { 200: ok } },
  }, async (req) => ({ ok: myCall(req, req.params.id).endConference() }));

  /** Any live call of the workspace, for a supervisor. */
  const anyCall = (req: FastifyRequest, callId: string) => {
    const call = d.calls?.call(tenant(req), callId);
    if (!call) throw notFound('call');
    return call;
  };
  const auditMonitor = (req: FastifyRequest, callId: string, mode: string) => d.audit.append({
    tenantId: tenant(req), action: 'call.monitored', targetType: 'call', targetId: callId, details: { mode },
    actorId: principalOf(req).userId, actorName: principalOf(req).name, ip: req.ip,
  });

  app.post<{ Params: { id: string }; Body: { mode: 'listen' | 'whisper' | 'barge' } }>('/api/calls/:id/monitor', {
    config: requires('supervisor.monitor'),
    schema: { tags: ['calls'], summary: 'Listen to, whisper to or barge into a call: my phone rings, then I join (audited)', params: idParams, body: monitorBody, response: { 200: ok } },
  }, async (req) => {
    const call = anyCall(req, req.params.id);
    await auditMonitor(req, call.callId, req.body.mode);
    return { ok: await call.monitor(principalOf(req).userId, req.body.mode) };
  });

  app.put<{ Params: { id: string }; Body: { mode: 'listen' | 'whisper' | 'barge' } }>('/api/calls/:id/monitor', {
    config: requires('supervisor.monitor'),
    schema: { tags: ['calls'], summary: 'Switch between listen, whisper and barge', params: idParams, body: monitorBody, response: { 200: ok } },
  }, async (req) => {
    const call = anyCall(req, req.params.id);
    await auditMonitor(req, call.callId, req.body.mode);
    return { ok: call.setMonitorMode(req.body.mode) };
  });

  app.delete<{ Params: { id: string } }>('/api/calls/:id/monitor', {
    config: requires('supervisor.monitor'), schema: { tags: ['calls'], summary: 'Stop monitoring (my phone is hung up)', params: idParams, response: { 200: ok } },
  }, async (req) => ({ ok: anyCall(req, req.params.id).stopMonitor() }));

  app.post<{ Params: { id: string }; Body: { target: Destination } }>('/api/calls/:id/transfer', {
    config: requires('agent.desktop'),
    schema: {
      tags: ['calls'], summary: 'Blind transfer to an agent, a queue, an extension or an outside number', params: idParams,
      body: { type: 'object', required: ['target'], additionalProperties: false, properties: { target: destinationBody } }, response: { 200: ok },
    },
  }, async (req) => {
    const call = myCall(req, req.params.id);
    const target = req.body.target;
    if ('agent' in target) await agentId(req, target.agent);
    if ('queue' in target) await d.routing.queue(tenant(req), target.queue);
    return { ok: await call.sendTo(target, call.agentId) };
  });
}
