import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.ts';

describe('config', () => {
  test('defaults: port 8080, SQLite under ./data, demo seeding on', () => {
    const c = loadConfig({ env: {} });
    assert.equal(c.httpPort, 8080);
    assert.equal(c.databaseUrl, undefined);
    assert.match(c.dataDir, /\/data$/);
    assert.equal(c.seedDemo, true);
    assert.deepEqual(c.rtpPorts, { min: 20000, max: 29999 });
    assert.ok(Object.isFrozen(c));
  });

  test('precedence: flag over environment over file over default', () => {
    assert.equal(loadConfig({ file: { httpPort: 7000 } }).httpPort, 7000);
    assert.equal(loadConfig({ file: { httpPort: 7000 }, env: { SB_HTTP_PORT: '7100' } }).httpPort, 7100);
    assert.equal(loadConfig({ file: { httpPort: 7000 }, env: { SB_HTTP_PORT: '7100' }, argv: ['--http-port', '7200'] }).httpPort, 7200);
    assert.equal(loadConfig({ argv: ['--http-port=7300'] }).httpPort, 7300);
  });

  const bad: [string, Parameters<typeof loadConfig>[0], string][] = [
    ['non-numeric port', { env: { SB_HTTP_PORT: 'abc' } }, 'SB_HTTP_PORT'],
    ['port out of range', { env: { SB_HTTP_PORT: '70000' } }, 'SB_HTTP_PORT'],
    ['bad boolean', { env: { SB_SEED_DEMO: 'maybe' } }, 'SB_SEED_DEMO'],
    ['non-postgres URL', { env: { DATABASE_URL: 'mysql://x' } }, 'DATABASE_URL'],
    ['bad RTP range', { env: { SB_RTP_PORTS: '30000-20000' } }, 'SB_RTP_PORTS'],
    ['unknown file key', { file: { httpPrt: 1 } }, 'httpPrt'],
    ['bad file value', { file: { httpPort: 'x' } }, 'httpPort'],
    ['unknown flag', { argv: ['--nope', '1'] }, '--nope'],
    ['bad flag value', { argv: ['--log-level', 'loud'] }, '--log-level'],
  ];
  for (const [what, sources, key] of bad) {
    test(`${what} is refused with a message naming ${key}`, () => {
      assert.throws(() => loadConfig(sources), (e: unknown) => e instanceof ConfigError && e.key === key && e.message.includes(key));
    });
  }

  test('a config file that does not exist names the file', () => {
    assert.throws(() => loadConfig({ argv: ['--config', '/nonexistent/sb.json'] }), /cannot read config file \/nonexistent\/sb.json/);
  });
});
