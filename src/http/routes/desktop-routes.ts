// The agent desktop and the supervisor's screens: my state and work in one answer (what a page
// re-reads when its live connection comes back), my station and auto-answer, today's history, notes
// on my interactions and their recordings; for supervisors every agent with what they are doing,
// and the recordings search and player (every playback audited).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Directory } from '../../auth/index.ts';
import { NOT_READY_REASONS, type Desktop, type DeskSettings, type Recordings, type WorkView } from '../../desktop/index.ts';
import type { AgentView, RoutingEngine } from '../../routing/index.ts';
import { notFound } from '../../kernel/index.ts';
import { principalOf } from '../auth-hook.ts';
import { requires } from '../fastify-types.ts';
import { id, idParams, listOf } from '../schemas.ts';

export interface DesktopRouteDeps {
  desktop: Desktop;
  recordings: Recordings;
  routing: RoutingEngine;
  directory: Directory;
}

const nullableString = { type: ['string', 'null'] } as const;
const ivrStep = { type: 'object', properties: { node: { type: 'string' }, type: { type: 'string' }, input: { type: 'string' }, outcome: { type: 'string' } } } as const;
const contactProperties = {
  contactId: { type: 'string' }, caller: nullableString, dialled: nullableString, direction: nullableString, language: nullableString,
  ivrPath: { type: 'array', items: ivrStep }, queueId: nullableString, queueName: nullableString,
} as const;
const offerView = {
  type: ['object', 'null'],
  properties: { ...contactProperties, offerId: { type: 'string' }, at: { type: 'string' }, timeoutSeconds: { type: ['integer', 'null'] } },
} as const;
const callView = {
  type: ['object', 'null'],
  properties: { ...contactProperties, callId: { type: 'string' }, connectedAt: { type: 'string' }, held: { type: 'boolean' }, heldSince: nullableString },
} as const;
const wrapUpView = {
  type: ['object', 'null'],
  properties: {
    ...contactProperties, startedAt: { type: 'string' }, wrapUpSeconds: { type: ['integer', 'null'] }, dispositions: { type: 'array', items: { type: 'string' } },
  },
} as const;
const taskTicket = {
  type: ['object', 'null'],
  properties: {
    id: { type: 'string' }, number: { type: 'integer' }, subject: { type: 'string' }, priority: { type: 'string' }, status: { type: 'string' }, statusName: { type: 'string' },
    statusCategory: { type: 'string' }, customerId: nullableString, customerName: nullableString,
    resolveThrough: { type: ['array', 'null'], items: { type: 'string' }, description: 'the statuses Resolve moves the ticket through, the resolved one last' },
  },
} as const;
const taskOfferView = {
  type: 'object',
  properties: {
    offerId: { type: 'string' }, contactId: { type: 'string' }, queueId: { type: 'string' }, queueName: nullableString, at: { type: 'string' },
    timeoutSeconds: { type: ['integer', 'null'] }, ticket: taskTicket,
  },
} as const;
const taskView = {
  type: 'object',
  properties: { contactId: { type: 'string' }, queueId: { type: 'string' }, queueName: nullableString, acceptedAt: { type: 'string' }, ticket: taskTicket },
} as const;
const workView = {
  type: 'object', required: ['offer', 'call', 'wrapUp', 'taskOffers', 'tasks'],
  properties: { offer: offerView, call: callView, wrapUp: wrapUpView, taskOffers: { type: 'array', items: taskOfferView }, tasks: { type: 'array', items: taskView } },
} as const;
const pending = { anyOf: [{ type: 'null' }, { type: 'object', required: ['state', 'reason'], properties: { state: { type: 'string' }, reason: nullableString } }] } as const;
const settingsSchema = { type: 'object', required: ['stationPhoneId', 'autoAnswer'], properties: { stationPhoneId: nullableString, autoAnswer: { type: 'boolean' } } } as const;
const phoneSchema = { type: 'object', required: ['id', 'username', 'displayName'], properties: { id: { type: 'string' }, username: { type: 'string' }, displayName: { type: 'string' } } } as const;
const stateSchema = {
  type: 'object', required: ['agent', 'settings', 'phones', 'reasons', 'work'],
  properties: {
    agent: {
      type: 'object', required: ['state', 'reason', 'stateSince', 'pending'],
      properties: { state: { type: 'string' }, reason: nullableString, stateSince: { type: 'string' }, pending },
    },
    settings: settingsSchema,
    phones: { type: 'array', items: phoneSchema },
    reasons: { type: 'array', items: { type: 'string' } },
    work: workView,
  },
} as const;
const historySchema = {
  type: 'object',
  properties: {
    interactionId: { type: 'string' }, connectedAt: { type: 'string' }, direction: { type: 'string' }, caller: nullableString, queueId: nullableString,
    queueName: nullableString, answeredAt: nullableString, endedAt: nullableString, talkMs: { type: 'integer' }, outcome: nullableString, disposition: nullableString, notes: nullableString,
    recorded: { type: 'boolean' }, handledLast: { type: 'boolean' },
  },
} as const;
const supervisedAgent = {
  type: 'object', required: ['agentId', 'displayName', 'teamIds', 'state', 'reason', 'stateSince', 'pending', 'work'],
  properties: {
    agentId: { type: 'string' }, displayName: { type: 'string' }, teamIds: { type: 'array', items: { type: 'string' } }, state: { type: 'string' },
    reason: nullableString, stateSince: nullableString, pending, work: workView,
  },
} as const;
const recordingHit = {
  type: 'object',
  properties: {
    recordingId: { type: 'string' }, interactionId: { type: 'string' }, arrivedAt: { type: 'string' }, answeredAt: nullableString, endedAt: nullableString,
    caller: nullableString, direction: { type: 'string' }, agentId: nullableString, agentName: nullableString, queueId: nullableString, queueName: nullableString,
    disposition: nullableString, outcome: nullableString,
  },
} as const;
const isoTime = { type: 'string', format: 'date-time' } as const;

const listener = (req: FastifyRequest) => {
  const p = principalOf(req);
  return { userId: p.userId, name: p.name, ip: req.ip };
};
const wav = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export async function desktopRoutes(app: FastifyInstance, d: DesktopRouteDeps): Promise<void> {
  const agentState = (a: AgentView) => ({ state: a.state, reason: a.reason, stateSince: new Date(a.stateSince).toISOString(), pending: a.pending });

  // ---- The agent's own desktop -------------------------------------------------------------------
  app.get('/api/desktop/state', {
    config: requires('agent.desktop'),
    schema: {
      tags: ['desktop'], summary: 'Everything my desktop shows: my state, station and phones, NotReady reasons, and my offer, call and wrap-up now, and my task offers and tasks',
      response: { 200: stateSchema },
    },
  }, async (req) => {
    const { tenantId, userId } = principalOf(req);
    const [agent, settings, phones, work] = await Promise.all([
      d.routing.agent(tenantId, userId), d.desktop.settings(tenantId, userId), d.desktop.phones(tenantId, userId), d.desktop.workView(tenantId, userId),
    ]);
    return { agent: agentState(agent), settings, phones, reasons: [...NOT_READY_REASONS], work };
  });

  app.put<{ Body: Partial<DeskSettings> }>('/api/desktop/settings', {
    config: requires('agent.desktop'),
    schema: {
      tags: ['desktop'], summary: 'Choose my station (one of my phones; null: all of them ring) and whether my phone answers offers by itself',
      body: {
        type: 'object', additionalProperties: false, minProperties: 1,
        properties: { stationPhoneId: { anyOf: [id, { type: 'null' }] }, autoAnswer: { type: 'boolean' } },
      },
      response: { 200: settingsSchema },
    },
  }, async (req) => {
    const { tenantId, userId } = principalOf(req);
    return d.desktop.saveSettings(tenantId, userId, req.body);
  });

  app.get('/api/desktop/history', {
    config: requires('agent.desktop'),
    schema: { tags: ['desktop'], summary: 'The contacts I was connected to today (the workspace\'s local day), newest first', response: { 200: listOf(historySchema) } },
  }, async (req) => {
    const { tenantId, userId } = principalOf(req);
    return { items: await d.desktop.history(tenantId, userId) };
  });

  app.patch<{ Params: { id: string }; Body: { notes: string | null } }>('/api/desktop/interactions/:id', {
    config: requires('agent.desktop'),
    schema: {
      tags: ['desktop'], summary: 'Write the notes of an interaction I handled', params: idParams,
      body: { type: 'object', required: ['notes'], additionalProperties: false, properties: { notes: { type: ['string', 'null'], maxLength: 10_000 } } },
      response: { 200: { type: 'object', required: ['interactionId', 'notes'], properties: { interactionId: { type: 'string' }, notes: nullableString } } },
    },
  }, async (req) => {
    const { tenantId, userId } = principalOf(req);
    const r = await d.desktop.saveNotes(tenantId, userId, req.params.id, req.body.notes);
    return { interactionId: r.id, notes: r.notes };
  });

  app.get<{ Params: { id: string } }>('/api/desktop/interactions/:id/recording', {
    config: requires('agent.desktop'),
    schema: { tags: ['desktop'], summary: 'The recording of a call I handled (audio/wav; the access is audited)', params: idParams },
  }, async (req, reply) => {
    const { tenantId, userId } = principalOf(req);
    const r = await d.desktop.ownInteraction(tenantId, userId, req.params.id);
    if (!r.recordingId) throw notFound('recording');
    const bytes = await d.recordings.open(tenantId, r.recordingId, listener(req), { interactionId: r.id });
    return reply.type('audio/wav').send(wav(bytes));
  });

  app.get('/api/desktop/transfer-targets', {
    config: requires('agent.desktop'),
    schema: {
      tags: ['desktop'], summary: 'Who I can transfer or consult to: the other agents with their state, and the queues',
      response: {
        200: {
          type: 'object', required: ['agents', 'queues'],
          properties: {
            agents: { type: 'array', items: { type: 'object', required: ['id', 'displayName', 'state'], properties: { id: { type: 'string' }, displayName: { type: 'string' }, state: { type: 'string' } } } },
            queues: { type: 'array', items: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: 'string' } } } },
          },
        },
      },
    },
  }, async (req) => {
    const { tenantId, userId } = principalOf(req);
    const [agents, users, queues] = await Promise.all([d.routing.agents(tenantId), d.directory.listUsers(tenantId), d.routing.queues(tenantId)]);
    const name = new Map(users.filter((u) => !u.disabled).map((u) => [u.id, u.displayName]));
    return {
      agents: agents.filter((a) => a.id !== userId && name.has(a.id)).map((a) => ({ id: a.id, displayName: name.get(a.id)!, state: a.state }))
        .sort((x, y) => x.displayName.localeCompare(y.displayName)),
      queues: queues.map((q) => ({ id: q.id, name: q.name })),
    };
  });

  // ---- Supervisors ----------------------------------------------------------------------------------
  app.get('/api/supervisor/agents', {
    config: requires('supervisor.monitor'),
    schema: {
      tags: ['desktop'], summary: 'Every agent (and every team member) with their state, time in state and what they are doing now',
      response: {
        200: {
          type: 'object', required: ['teams', 'items'],
          properties: {
            teams: { type: 'array', items: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: 'string' } } } },
            items: { type: 'array', items: supervisedAgent },
          },
        },
      },
    },
  }, async (req) => {
    const { tenantId } = principalOf(req);
    const [agents, users, teams] = await Promise.all([d.routing.agents(tenantId), d.directory.listUsers(tenantId), d.directory.listTeams(tenantId)]);
    const routed = new Map(agents.map((a) => [a.id, a]));
    const shown = users.filter((u) => routed.has(u.id) || (!u.disabled && (u.teamIds.length > 0 || u.roles.includes('agent'))));
    const items = await Promise.all(shown.map(async (u) => {
      const a = routed.get(u.id);
      const work: WorkView = await d.desktop.workView(tenantId, u.id);
      return {
        agentId: u.id, displayName: u.displayName, teamIds: u.teamIds,
        ...(a ? agentState(a) : { state: 'Offline', reason: null, stateSince: null, pending: null }), work,
      };
    }));
    items.sort((x, y) => x.displayName.localeCompare(y.displayName));
    return { teams: teams.map((t) => ({ id: t.id, name: t.name })), items };
  });

  app.get<{ Querystring: { from?: string; to?: string; agentId?: string; queueId?: string; number?: string; disposition?: string; limit?: string } }>('/api/recordings', {
    config: requires('recordings.play'),
    schema: {
      tags: ['desktop'], summary: 'Recorded calls, newest first, by arrival time range, agent, queue, customer number (its last digits) and disposition',
      querystring: {
        type: 'object', additionalProperties: false,
        properties: {
          from: isoTime, to: isoTime, agentId: id, queueId: id, number: { type: 'string', pattern: '^\\+?[0-9]{1,20}$' },
          disposition: { type: 'string', minLength: 1, maxLength: 64 }, limit: { type: 'string', pattern: '^[0-9]{1,3}$' },
        },
      },
      response: { 200: listOf(recordingHit) },
    },
  }, async (req) => {
    const { tenantId } = principalOf(req);
    const q = req.query;
    const hits = await d.recordings.search(tenantId, { ...q, limit: q.limit === undefined ? undefined : Number(q.limit) });
    const [users, queues] = await Promise.all([d.directory.listUsers(tenantId), d.routing.queues(tenantId)]);
    const userName = new Map(users.map((u) => [u.id, u.displayName]));
    const queueName = new Map(queues.map((x) => [x.id, x.name]));
    return {
      items: hits.map((h) => ({ ...h, agentName: h.agentId ? userName.get(h.agentId) ?? null : null, queueName: h.queueId ? queueName.get(h.queueId) ?? null : null })),
    };
  });

  app.get<{ Params: { id: string }; Querystring: { interactionId?: string } }>('/api/recordings/:id/audio', {
    config: requires('recordings.play'),
    schema: {
      tags: ['desktop'], summary: 'Play a recording: the decrypted WAV (customer left, agent right); every access is written to the audit trail',
      params: idParams, querystring: { type: 'object', additionalProperties: false, properties: { interactionId: id } },
    },
  }, async (req, reply) => {
    const { tenantId } = principalOf(req);
    const bytes = await d.recordings.open(tenantId, req.params.id, listener(req), req.query.interactionId ? { interactionId: req.query.interactionId } : {});
    return reply.type('audio/wav').send(wav(bytes));
  });
}
