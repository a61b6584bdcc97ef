// `node src/main.ts` as a newcomer runs it: a bad setting or a database that is down stops the
// process with a clear message and a non-zero exit; a good start answers /healthz and prints the demo logins.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const MAIN = resolve(import.meta.dirname, '..', '..', 'src', 'main.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs main.ts until it exits or until `until(stdout)` holds, then checks /healthz and stops it with SIGTERM. */
function runMain(env: Record<string, string>, args: string[] = [], until?: RegExp): Promise<Run & { health?: unknown }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env: { PATH: process.env['PATH'] ?? '', SB_LOG_LEVEL: 'warn', SB_SIP_HOST: '127.0.0.1', SB_SIP_PORT: '0', SB_SIP_WS_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let health: unknown;
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', async (d: Buffer) => {
      stdout += d.toString();
      const m = until ? until.exec(stdout) : null;
      if (m && health === undefined) {
        health = null;
        try {
          const res = await fetch(`${m[1]}/healthz`);
          health = await res.json();
        } catch (e) { health = String(e); }
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', fail);
    child.on('exit', (code) => { clearTimeout(killer); done({ code, stdout, stderr, health }); });
  });
}

const READY = /Switchboard (http:\/\/[^\s]+) is ready/;

describe('starting the server', () => {
  test('a bad value stops the process with a message naming the key', async () => {
    const r = await runMain({ SB_HTTP_PORT: 'eighty' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /SB_HTTP_PORT/);
    assert.match(r.stderr, /integer/);
  });

  test('an unknown flag is refused by name', async () => {
    const r = await runMain({}, ['--htp-port', '1']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--htp-port/);
  });

  test('a database that is down gives a clear error and a non-zero exit, not a hang', async () => {
    const r = await runMain({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', SB_HTTP_PORT: '0', SB_HTTP_HOST: '127.0.0.1' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot start.*postgres/i);
  });

  test('first start on SQLite creates the demo workspace, prints the logins once, and answers /healthz', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-start-'));
    try {
      const env = { SB_DATA_DIR: dir, SB_HTTP_PORT: '0', SB_HTTP_HOST: '127.0.0.1' };
      const first = await runMain(env, [], READY);
      assert.equal(first.code, 0, first.stderr);
      assert.deepEqual(first.health && (first.health as { status: string }).status, 'ok');
      const logins = [...first.stdout.matchAll(/^\s+(admin|supervisor|agent1|agent2)\s+(\S+)\s+\(/gm)];
      assert.equal(logins.length, 4, first.stdout);
      assert.ok(logins.every((m) => (m[2] ?? '').length >= 16), 'generated passwords are long');
      const second = await runMain(env, [], READY);
      assert.equal(second.code, 0);
      assert.ok(!/Demo workspace created/.test(second.stdout), 'seeded only once');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('SB_SEED_DEMO=false starts with no demo workspace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-start-'));
    try {
      const r = await runMain({ SB_DATA_DIR: dir, SB_HTTP_PORT: '0', SB_HTTP_HOST: '127.0.0.1', SB_SEED_DEMO: 'false' }, [], READY);
      assert.equal(r.code, 0);
      assert.ok(!/Demo workspace/.test(r.stdout));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const pgUrl = process.env['TEST_DATABASE_URL'];
  test('with DATABASE_URL the same process runs on PostgreSQL', { skip: pgUrl ? false : 'TEST_DATABASE_URL is not set' }, async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    try {
      const url = new URL(pgUrl!);
      url.searchParams.set('options', `-c search_path=${schema}`);
      const r = await runMain({ DATABASE_URL: url.toString(), SB_HTTP_PORT: '0', SB_HTTP_HOST: '127.0.0.1', SB_DEMO_PASSWORD: 'a demo password' }, [], READY);
      assert.equal(r.code, 0, r.stderr);
      assert.equal((r.health as { storage: string }).storage, 'postgres');
      const n = await admin.query(`SELECT count(*)::int AS n FROM ${schema}.auth_user`);
      assert.equal(n.rows[0].n, 4);
    } finally {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
  });
});
