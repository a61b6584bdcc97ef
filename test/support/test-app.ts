// Builds the real app for integration tests: real storage (SQLite in memory, or a fresh PostgreSQL
// schema), real HTTP via app.inject or a real socket, cheaper Argon2id parameters, and two tenants.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type App, type AppOverrides } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { ManualClock } from '../../src/kernel/index.ts';
import { openTestStorage, type SqlDialectName } from '../../src/storage/index.ts';
import type { Role } from '../../src/auth/index.ts';

export const TEST_PASSWORD = 'correct horse battery';
export const TEST_ARGON2 = { memoryKiB: 1024, passes: 1, parallelism: 1 };

export interface TestApp {
  app: App;
  clock: ManualClock;
  /** tenant slug -> tenant id */
  tenants: Record<'demo' | 'other', string>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Real time instead of a ManualClock, for suites whose peers (sipp, baresip) run on real time. */
  realClock?: boolean;
  sipTrace?: AppOverrides['sipTrace'];
}

export async function startTestApp(dialect: SqlDialectName, env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const storage = await openTestStorage(dialect);
  const clock = new ManualClock(Date.UTC(2026, 10, 22, 9, 0, 0));
  // Recordings, keys and the speech cache go to a directory of this test app's own.
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-test-data-'));
  const config = loadConfig({
    env: {
      SB_LOG_LEVEL: 'silent', SB_DEMO_PASSWORD: TEST_PASSWORD, SB_HTTP_HOST: '127.0.0.1', SB_HTTP_PORT: '0',
      SB_SIP_HOST: '127.0.0.1', SB_SIP_PORT: '0', SB_SIP_WS_PORT: '0', SB_SIP_DEFAULT_TENANT: 'demo', SB_DATA_DIR: dataDir,
      // Clear of sipp's media ports (20000-39998) and baresip's (31000+).
      SB_RTP_PORTS: '44000-47999', ...env,
    },
  });
  const app = await buildApp(config, { storage, ...(options.realClock ? {} : { clock }), argon2: TEST_ARGON2, ...(options.sipTrace ? { sipTrace: options.sipTrace } : {}) });
  const demo = await app.tenants.bySlug('demo');
  const other = await app.tenants.create({ slug: 'other', name: 'Other Company', timeZone: 'Asia/Taipei' }, new Date(clock.now()));
  const roles: Role[] = ['admin', 'supervisor', 'agent', 'auditor'];
  for (const role of roles) {
    await app.directory.createUser(other.id, { username: `o-${role}`, displayName: `Other ${role}`, password: TEST_PASSWORD, roles: [role] });
  }
  await app.directory.createUser(demo!.id, { username: 'auditor', displayName: 'Audrey Auditor', password: TEST_PASSWORD, roles: ['auditor'] });
  await app.directory.createTeam(other.id, { name: 'Other team' });
  return {
    app,
    clock,
    tenants: { demo: demo!.id, other: other.id },
    async close() {
      await app.stop();
      await storage.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Logs in through the API and returns the cookie header value to send. */
export async function login(t: TestApp, tenant: string, username: string, password = TEST_PASSWORD, ip = '127.0.0.1'): Promise<string> {
  const res = await t.app.http.inject({ method: 'POST', url: '/api/auth/login', payload: { tenant, username, password }, remoteAddress: ip });
  if (res.statusCode !== 200) throw new Error(`login ${tenant}/${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'sb_session');
  if (!cookie) throw new Error('no session cookie');
  return `sb_session=${cookie.value}`;
}
