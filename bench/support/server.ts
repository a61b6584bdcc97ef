// A real Switchboard for benchmarks: the production composition on an SQLite file in a temporary
// directory (or PostgreSQL with BENCH_DATABASE_URL), SIP on loopback ephemeral ports, real time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';

export async function startBenchServer(env: Record<string, string> = {}): Promise<{ app: App; sipPort: number; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-'));
  const config = loadConfig({
    env: {
      SB_LOG_LEVEL: 'error', SB_DATA_DIR: dir, SB_HTTP_HOST: '127.0.0.1', SB_HTTP_PORT: '0', SB_DEMO_PASSWORD: 'bench-password-1',
      SB_SIP_HOST: '127.0.0.1', SB_SIP_PORT: '0', SB_SIP_WS_PORT: '0',
      ...(process.env['BENCH_DATABASE_URL'] ? { DATABASE_URL: process.env['BENCH_DATABASE_URL'] } : {}), ...env,
    },
  });
  const app = await buildApp(config);
  await app.listen();
  return {
    app,
    sipPort: app.sip!.stack.local('udp').port,
    async close() {
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** CPU seconds this process used while `fn` ran, and the wall time. */
export async function measured<T>(fn: () => Promise<T>): Promise<{ result: T; cpuS: number; wallS: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await fn();
  const c = process.cpuUsage(c0);
  return { result, cpuS: (c.user + c.system) / 1e6, wallS: (performance.now() - t0) / 1000 };
}
