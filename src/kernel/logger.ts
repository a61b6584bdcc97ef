// The logger port. Logs name ids, never secrets or personal data; the pino instance redacts
// the usual secret-bearing keys as a second line of defence.
import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = Pick<PinoLogger, 'info' | 'warn' | 'error' | 'debug' | 'child'>;

export const REDACTED_PATHS = [
  'password', '*.password', 'token', '*.token', 'secret', '*.secret', 'sipNonceSecret', '*.sipNonceSecret', 'totpSecret', '*.totpSecret',
  'req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', 'headers.authorization',
];

export function createLogger(level: string): PinoLogger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}

/** A logger that drops everything, for tests that do not look at logs. */
export const silentLogger: Logger = pino({ level: 'silent' });
