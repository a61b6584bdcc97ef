// One error body for every failure: { code, message, details } (docs/errors.md). Validation errors
// name the field; unexpected errors answer 500 with no internals and are logged once.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError } from '../kernel/index.ts';

export interface ErrorBody {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

interface AjvIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Turns the first schema violation into a message that names the field, e.g. `body/username must be string`. */
export function describeValidation(issues: AjvIssue[], context: string | undefined): ErrorBody {
  const issue = issues[0];
  const where = context ?? 'body';
  if (!issue) return { code: 'SB_VALIDATION', message: `${where} is not valid`, details: {} };
  const path = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
  let field = path;
  let message: string;
  switch (issue.keyword) {
    case 'additionalProperties': {
      const extra = String(issue.params['additionalProperty']);
      field = path ? `${path}.${extra}` : extra;
      message = `unknown field '${field}' in ${where}`;
      break;
    }
    case 'required': {
      const missing = String(issue.params['missingProperty']);
      field = path ? `${path}.${missing}` : missing;
      message = `${where} needs '${field}'`;
      break;
    }
    default:
      message = `${where}${field ? `.${field}` : ''} ${issue.message ?? 'is not valid'}`;
  }
  return { code: 'SB_VALIDATION', message, details: { field: field || where, rule: issue.keyword, location: where } };
}

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'SB_HTTP_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'SB_HTTP_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'SB_HTTP_EMPTY_JSON_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'SB_HTTP_BAD_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'SB_HTTP_BAD_CONTENT_LENGTH',
};

export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  if (isDomainError(err)) {
    void reply.status(err.status).send({ code: err.code, message: err.message, details: err.details ?? {} } satisfies ErrorBody);
    return;
  }
  if (err.validation) {
    void reply.status(400).send(describeValidation(err.validation as AjvIssue[], err.validationContext));
    return;
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = FASTIFY_CODES[err.code] ?? (err instanceof SyntaxError ? 'SB_HTTP_BAD_JSON' : 'SB_HTTP_BAD_REQUEST');
    const message = code === 'SB_HTTP_BAD_JSON' ? `the request body is not valid JSON: ${err.message}` : err.message;
    void reply.status(status).send({ code, message, details: {} } satisfies ErrorBody);
    return;
  }
  req.log.error({ err, url: req.url, method: req.method }, 'request failed');
  void reply.status(500).send({ code: 'SB_INTERNAL', message: 'internal error; the server log has the details', details: {} } satisfies ErrorBody);
}

export const errorSchema = {
  type: 'object',
  required: ['code', 'message', 'details'],
  properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object', additionalProperties: true } },
} as const;
