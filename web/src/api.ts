// Thin client for the Switchboard HTTP API. Errors carry the server's stable code (docs/errors.md).

export interface Me {
  id: string; tenantId: string; tenantSlug: string; tenantName: string; username: string; displayName: string;
  email: string | null; roles: string[]; permissions: string[]; totpEnabled: boolean; teams: { id: string; name: string }[];
}
export interface User {
  id: string; username: string; displayName: string; email: string | null; roles: string[]; teamIds: string[];
  disabled: boolean; totpEnabled?: boolean; createdAt: string; updatedAt: string;
}
export interface Team { id: string; name: string; description: string | null; memberIds: string[]; createdAt: string }
export interface AuditEntry {
  seq: number; at: string; actorId: string | null; actorName: string | null; action: string;
  targetType: string | null; targetId: string | null; ip: string | null; details: Record<string, unknown>;
}
export interface ApiToken { id: string; name: string; permissions: string[]; createdAt: string; lastUsedAt: string | null; createdBy: string; token?: string }

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  /** The server's `details` (docs/errors.md); `details.field` names the offending field. */
  readonly details: Record<string, unknown>;
  constructor(code: string, status: number, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.code = code;
    this.status = status;
    this.details = details;
  }

  /** The dotted path of the field the server named, without the `body.` of a request body. */
  get field(): string | undefined {
    const f = this.details['field'];
    return typeof f === 'string' ? f.replace(/^body\./, '') : undefined;
  }
}

/** Called when any request answers 401, so the app can return to the login page. */
let onSessionEnded: () => void = () => {};
export const setSessionEndedHandler = (fn: () => void): void => { onSessionEnded = fn; };

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError('network', 0, 'network error');
  }
  if (res.status === 204) return undefined as T;
  const payload = (await res.json().catch(() => ({}))) as { code?: string; message?: string; details?: Record<string, unknown> };
  if (!res.ok) {
    if (res.status === 401 && path !== '/api/auth/login') onSessionEnded();
    throw new ApiError(payload.code ?? 'unknown', res.status, payload.message ?? res.statusText, payload.details ?? {});
  }
  return payload as T;
}
