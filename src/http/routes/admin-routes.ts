// What the admin console needs beyond the domains' own routes: listening to an uploaded prompt,
// and the workspace's recording-retention policy (src/quality).
import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PromptLibrary } from '../../ivr/index.ts';
import { notFound } from '../../kernel/index.ts';
import { MAX_RETENTION_DAYS, type RetentionPolicy } from '../../quality/index.ts';
import { principalOf } from '../auth-hook.ts';
import { requires } from '../fastify-types.ts';
import { idParams } from '../schemas.ts';

export interface AdminRouteDeps {
  prompts: PromptLibrary;
  retention: RetentionPolicy;
}

const actor = (req: FastifyRequest) => {
  const p = principalOf(req);
  return { userId: p.userId, name: p.name, ip: req.ip };
};

const retentionSchema = {
  type: 'object', required: ['days', 'maxDays'],
  properties: {
    days: { type: ['integer', 'null'], description: 'days a recording is kept after it was made; null keeps recordings' },
    maxDays: { type: 'integer' },
  },
} as const;

export async function adminRoutes(app: FastifyInstance, d: AdminRouteDeps): Promise<void> {
  app.get<{ Params: { id: string } }>('/api/prompts/:id/audio', {
    config: requires('flows.read'),
    schema: { tags: ['ivr'], summary: 'An uploaded prompt as it is played (8 kHz mono WAV)', params: idParams },
  }, async (req, reply) => {
    const file = await d.prompts.path(principalOf(req).tenantId, req.params.id);
    if (!file) throw notFound('prompt');
    return reply.type('audio/wav').header('Content-Disposition', 'inline').send(createReadStream(file));
  });

  app.get('/api/quality/recording-retention', {
    config: requires('interactions.read'),
    schema: { tags: ['quality'], summary: 'How many days recordings are kept (null: until deleted by hand)', response: { 200: retentionSchema } },
  }, async (req) => ({ days: await d.retention.days(principalOf(req).tenantId), maxDays: MAX_RETENTION_DAYS }));

  app.put<{ Body: { days: number | null } }>('/api/quality/recording-retention', {
    config: requires('recordings.manage'),
    schema: {
      tags: ['quality'], summary: 'Set how many days recordings are kept; older ones are deleted by the retention job',
      body: {
        type: 'object', required: ['days'], additionalProperties: false,
        properties: { days: { type: ['integer', 'null'], minimum: 1, maximum: MAX_RETENTION_DAYS } },
      },
      response: { 200: retentionSchema },
    },
  }, async (req) => ({ days: await d.retention.setDays(principalOf(req).tenantId, req.body.days, actor(req)), maxDays: MAX_RETENTION_DAYS }));
}
