// One typed, validated, frozen Config. Sources, lowest precedence first: defaults, a JSON config
// file (`--config FILE` or SB_CONFIG), environment variables, command-line flags (`--http-port 9000`).
// No other module reads process.env.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface Config {
  readonly httpHost: string;
  readonly httpPort: number;
  readonly dataDir: string;
  /** PostgreSQL connection string; when absent the server uses SQLite under dataDir. */
  readonly databaseUrl: string | undefined;
  readonly seedDemo: boolean;
  readonly demoPassword: string | undefined;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly sessionTtlMinutes: number;
  readonly cookieSecure: boolean;
  readonly trustProxy: boolean;
  readonly httpBodyLimitBytes: number;
  readonly loginMaxFailuresPerAccount: number;
  readonly loginMaxFailuresPerIp: number;
  readonly loginLockoutMinutes: number;
  readonly sipEnabled: boolean;
  readonly sipHost: string;
  readonly sipPort: number;
  readonly sipWsPort: number | undefined;
  readonly sipFloodLimit: number;
  readonly sipDefaultTenant: string | undefined;
  readonly sipAuthFailures: number;
  readonly sipNonceSecret: string | undefined;
  readonly sipDigestAlgorithms: readonly ('SHA-256' | 'MD5')[];
  readonly rtpPorts: { readonly min: number; readonly max: number };
  /** The address RTP sockets bind to (default: sipHost). */
  readonly mediaHost: string | undefined;
  /** The address written into SDP (default: mediaHost, or the first external IPv4 when that is a wildcard). */
  readonly mediaAdvertise: string | undefined;
  readonly recordCalls: boolean;
  /** Base64 of 32 bytes: the master key tenants' recording keys derive from; generated under dataDir when absent. */
  readonly recordingKey: string | undefined;
  readonly tts: 'espeak' | 'off';
}

export class ConfigError extends Error {
  readonly key: string;
  constructor(key: string, message: string) {
    super(`Invalid configuration: ${key}: ${message}`);
    this.name = 'ConfigError';
    this.key = key;
  }
}

type Raw = string | number | boolean;
interface KeySpec {
  env: string;
  flag: string;
  parse: (raw: Raw, key: string) => unknown;
  default: unknown;
}

const int = (min: number, max: number) => (raw: Raw, key: string): number => {
  const n = typeof raw === 'number' ? raw : /^-?\d+$/.test(String(raw).trim()) ? Number(String(raw).trim()) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(key, `must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return n;
};

const bool = (raw: Raw, key: string): boolean => {
  if (typeof raw === 'boolean') return raw;
  const s = String(raw).trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(s)) return true;
  if (['false', '0', 'no', 'off'].includes(s)) return false;
  throw new ConfigError(key, `must be true or false, got ${JSON.stringify(raw)}`);
};

const str = (raw: Raw, key: string): string => {
  if (typeof raw !== 'string' || raw.trim() === '') throw new ConfigError(key, 'must be a non-empty string');
  return raw;
};

const oneOf = <T extends string>(values: readonly T[]) => (raw: Raw, key: string): T => {
  if (typeof raw === 'string' && (values as readonly string[]).includes(raw)) return raw as T;
  throw new ConfigError(key, `must be one of ${values.join(', ')}, got ${JSON.stringify(raw)}`);
};

const databaseUrl = (raw: Raw, key: string): string => {
  const s = str(raw, key);
  if (!/^postgres(ql)?:\/\//.test(s)) throw new ConfigError(key, 'must be a postgres:// or postgresql:// URL');
  try { new URL(s); } catch { throw new ConfigError(key, 'is not a valid URL'); }
  return s;
};

const portRange = (raw: Raw, key: string): { min: number; max: number } => {
  const m = /^(\d+)-(\d+)$/.exec(String(raw).trim());
  const min = m ? Number(m[1]) : NaN;
  const max = m ? Number(m[2]) : NaN;
  if (!m || min < 1024 || max > 65535 || min >= max || min % 2 !== 0) {
    throw new ConfigError(key, `must be an even-starting range like 20000-29999 within 1024-65535, got ${JSON.stringify(raw)}`);
  }
  return { min, max };
};

/**
 * RFC 8760 §2.4: challenges in order of preference. The default is MD5 alone: sipp reads only the
 * first challenge and baresip 1.0 rejects a 401 that carries any algorithm it lacks.
 */
const digestAlgorithms = (raw: Raw, key: string): ('SHA-256' | 'MD5')[] => {
  const list = (Array.isArray(raw) ? raw.map(String) : String(raw).split(',')).map((x) => x.trim().toUpperCase());
  if (list.length === 0 || list.some((a) => a !== 'SHA-256' && a !== 'MD5') || new Set(list).size !== list.length) {
    throw new ConfigError(key, `must list SHA-256 and/or MD5, comma-separated, got ${JSON.stringify(raw)}`);
  }
  return list as ('SHA-256' | 'MD5')[];
};

const SPECS: { [K in keyof Config]: KeySpec } = {
  httpHost: { env: 'SB_HTTP_HOST', flag: 'http-host', parse: str, default: '0.0.0.0' },
  httpPort: { env: 'SB_HTTP_PORT', flag: 'http-port', parse: int(0, 65535), default: 8080 },
  dataDir: { env: 'SB_DATA_DIR', flag: 'data-dir', parse: str, default: './data' },
  databaseUrl: { env: 'DATABASE_URL', flag: 'database-url', parse: databaseUrl, default: undefined },
  seedDemo: { env: 'SB_SEED_DEMO', flag: 'seed-demo', parse: bool, default: true },
  demoPassword: { env: 'SB_DEMO_PASSWORD', flag: 'demo-password', parse: str, default: undefined },
  logLevel: { env: 'SB_LOG_LEVEL', flag: 'log-level', parse: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const), default: 'info' },
  sessionTtlMinutes: { env: 'SB_SESSION_TTL_MINUTES', flag: 'session-ttl-minutes', parse: int(5, 60 * 24 * 30), default: 12 * 60 },
  cookieSecure: { env: 'SB_COOKIE_SECURE', flag: 'cookie-secure', parse: bool, default: false },
  trustProxy: { env: 'SB_TRUST_PROXY', flag: 'trust-proxy', parse: bool, default: false },
  httpBodyLimitBytes: { env: 'SB_HTTP_BODY_LIMIT', flag: 'http-body-limit', parse: int(1024, 100 * 1024 * 1024), default: 1024 * 1024 },
  loginMaxFailuresPerAccount: { env: 'SB_LOGIN_MAX_FAILURES_ACCOUNT', flag: 'login-max-failures-account', parse: int(1, 1000), default: 5 },
  loginMaxFailuresPerIp: { env: 'SB_LOGIN_MAX_FAILURES_IP', flag: 'login-max-failures-ip', parse: int(1, 100000), default: 30 },
  loginLockoutMinutes: { env: 'SB_LOGIN_LOCKOUT_MINUTES', flag: 'login-lockout-minutes', parse: int(1, 24 * 60), default: 15 },
  sipEnabled: { env: 'SB_SIP_ENABLED', flag: 'sip-enabled', parse: bool, default: true },
  sipHost: { env: 'SB_SIP_HOST', flag: 'sip-host', parse: str, default: '0.0.0.0' },
  sipPort: { env: 'SB_SIP_PORT', flag: 'sip-port', parse: int(0, 65535), default: 5060 },
  sipWsPort: { env: 'SB_SIP_WS_PORT', flag: 'sip-ws-port', parse: int(0, 65535), default: 5066 },
  sipFloodLimit: { env: 'SB_SIP_FLOOD_LIMIT', flag: 'sip-flood-limit', parse: int(0, 1_000_000), default: 0 },
  sipDefaultTenant: { env: 'SB_SIP_DEFAULT_TENANT', flag: 'sip-default-tenant', parse: str, default: undefined },
  sipAuthFailures: { env: 'SB_SIP_AUTH_FAILURES', flag: 'sip-auth-failures', parse: int(1, 1000), default: 10 },
  sipDigestAlgorithms: { env: 'SB_SIP_DIGEST_ALGORITHMS', flag: 'sip-digest-algorithms', parse: digestAlgorithms, default: ['MD5'] },
  sipNonceSecret: { env: 'SB_SIP_NONCE_SECRET', flag: 'sip-nonce-secret', parse: str, default: undefined },
  rtpPorts: { env: 'SB_RTP_PORTS', flag: 'rtp-ports', parse: portRange, default: { min: 20000, max: 29999 } },
  mediaHost: { env: 'SB_MEDIA_HOST', flag: 'media-host', parse: str, default: undefined },
  mediaAdvertise: { env: 'SB_MEDIA_ADVERTISE', flag: 'media-advertise', parse: str, default: undefined },
  recordCalls: { env: 'SB_RECORD_CALLS', flag: 'record-calls', parse: bool, default: true },
  recordingKey: { env: 'SB_RECORDING_KEY', flag: 'recording-key', parse: str, default: undefined },
  tts: { env: 'SB_TTS', flag: 'tts', parse: oneOf(['espeak', 'off'] as const), default: 'espeak' },
};

export const CONFIG_KEYS = Object.keys(SPECS) as (keyof Config)[];

/** Environment variable and flag names per key, for documentation and error messages. */
export const configSources = (): { key: keyof Config; env: string; flag: string; default: unknown }[] =>
  CONFIG_KEYS.map((key) => ({ key, env: SPECS[key].env, flag: `--${SPECS[key].flag}`, default: SPECS[key].default }));

export interface ConfigSources {
  env?: Record<string, string | undefined>;
  argv?: readonly string[];
  /** Values as if read from a config file (camelCase keys); tests use this instead of a file. */
  file?: Record<string, unknown>;
}

function parseArgv(argv: readonly string[]): { flags: Map<string, string>; configFile?: string } {
  const flags = new Map<string, string>();
  let configFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) throw new ConfigError(arg, 'unexpected argument (flags look like --http-port 8080)');
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    let value: string;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) value = 'true';
      else { value = next; i++; }
    }
    if (name === 'config') configFile = value;
    else if (!CONFIG_KEYS.some((k) => SPECS[k].flag === name)) throw new ConfigError(`--${name}`, 'unknown flag');
    else flags.set(name, value);
  }
  return configFile === undefined ? { flags } : { flags, configFile };
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (e) {
    throw new ConfigError('config', `cannot read config file ${path}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try { parsed = JSON.parse(text); } catch (e) {
    throw new ConfigError('config', `config file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('config', `config file ${path} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** Builds the Config; throws ConfigError naming the offending key. */
export function loadConfig(sources: ConfigSources = {}): Config {
  const env = sources.env ?? {};
  const { flags, configFile } = parseArgv(sources.argv ?? []);
  const filePath = configFile ?? env['SB_CONFIG'];
  const file = sources.file ?? (filePath ? readConfigFile(filePath) : {});
  for (const k of Object.keys(file)) {
    if (!(CONFIG_KEYS as string[]).includes(k)) throw new ConfigError(k, 'unknown key in config file');
  }
  const out: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const spec = SPECS[key];
    const fromFlag = flags.get(spec.flag);
    const fromEnv = env[spec.env];
    const fromFile = file[key];
    if (fromFlag !== undefined) out[key] = spec.parse(fromFlag, `--${spec.flag}`);
    else if (fromEnv !== undefined && fromEnv !== '') out[key] = spec.parse(fromEnv, spec.env);
    else if (fromFile !== undefined && fromFile !== null) {
      if (typeof fromFile !== 'string' && typeof fromFile !== 'number' && typeof fromFile !== 'boolean') {
        throw new ConfigError(key, 'must be a string, number or boolean in the config file');
      }
      out[key] = spec.parse(fromFile, key);
    } else out[key] = spec.default;
  }
  out['dataDir'] = resolve(String(out['dataDir']));
  return Object.freeze(out) as unknown as Config;
}
