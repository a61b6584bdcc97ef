// Entry point: parse config, start, handle signals. `node src/main.ts --help` lists the settings.
import { buildApp } from './app.ts';
import { ConfigError, configSources, loadConfig, type Config } from './config/index.ts';
import { isDomainError } from './kernel/index.ts';

const argv = process.argv.slice(2);
if (argv.includes('--help')) {
  console.log('Switchboard: node src/main.ts [--config file.json] [--flag value ...]\n\nSettings (flag, environment variable, default):');
  for (const s of configSources()) console.log(`  ${s.flag.padEnd(30)} ${s.env.padEnd(30)} ${JSON.stringify(s.default) ?? '(none)'}`);
  process.exit(0);
}

let config: Config;
try {
  config = loadConfig({ env: process.env, argv });
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}

try {
  const app = await buildApp(config);
  const address = await app.listen();
  const where = config.databaseUrl ? 'PostgreSQL' : `SQLite in ${config.dataDir}`;
  console.log(`Switchboard ${address} is ready (storage: ${where}).`);
  if (app.sip) {
    const udp = app.sip.stack.local('udp');
    console.log(`SIP on ${udp.address}:${udp.port} (UDP and TCP)${config.sipWsPort === undefined ? '' : `, WebSocket on port ${app.sip.stack.local('ws').port}`}.`);
  }
  if (app.demo) {
    console.log(`\nDemo workspace created. Open http://localhost:${config.httpPort}/ and log in with workspace "${app.demo.tenantSlug}":`);
    for (const l of app.demo.logins) console.log(`  ${l.username.padEnd(12)} ${l.password.padEnd(22)} (${l.roles.join(', ')})`);
    console.log(`SIP phones (realm "${app.demo.tenantSlug}"):`);
    for (const p of app.demo.phones) console.log(`  ${p.username.padEnd(12)} ${p.password.padEnd(22)} (${p.owner})`);
    if (!config.demoPassword) console.log('These passwords are shown only this once.');
    console.log('');
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    app.stop().then(() => process.exit(0), (err: unknown) => { console.error(err); process.exit(1); });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (err) {
  if (isDomainError(err)) {
    console.error(`Switchboard cannot start: ${err.message} (${err.code})`);
  } else {
    console.error('Switchboard cannot start:', err);
  }
  process.exit(1);
}
