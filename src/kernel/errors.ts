// Expected failures are DomainErrors with a stable code (listed in docs/errors.md) and an HTTP status.

export class DomainError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, status: number, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

export const notFound = (what: string): DomainError => new DomainError('SB_NOT_FOUND', 404, `${what} not found`);

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
