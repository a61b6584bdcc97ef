// Builds the web app with Vite into web/dist. `--if-needed` skips the build when dist is newer than every source.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';

const webDir = resolve(import.meta.dirname, '..', 'web');
const dist = join(webDir, 'dist', 'index.html');

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'dist' || name === 'node_modules') continue;
    const p = join(dir, name);
    const s = statSync(p);
    newest = Math.max(newest, s.isDirectory() ? newestSource(p) : s.mtimeMs);
  }
  return newest;
}

if (process.argv.includes('--if-needed') && existsSync(dist) && statSync(dist).mtimeMs >= newestSource(webDir)) {
  process.exit(0);
}
await build({ configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn' });
console.log('web app built into web/dist');
