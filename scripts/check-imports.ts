// Enforces the domain boundary: code in src/<a>/ may import another domain src/<b>/ only through
// src/<b>/index.ts (docs/conventions.md). The composition root (src/*.ts) may import anything.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(import.meta.dirname, '..', 'src');

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (p.endsWith('.ts') || p.endsWith('.tsx')) yield p;
  }
}

/** The domain of a path under src: its first folder (`channels/<name>` counts as one domain). */
function domainOf(rel: string): string | undefined {
  const parts = rel.split(sep);
  if (parts.length < 2) return undefined;
  return parts[0] === 'channels' && parts.length > 2 ? `channels/${parts[1]}` : parts[0];
}

const violations: string[] = [];
const importRe = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
for (const file of walk(root)) {
  const rel = relative(root, file);
  const from = domainOf(rel);
  if (!from) continue;
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(importRe)) {
    const spec = m[1] ?? m[2];
    if (!spec || !spec.startsWith('.')) continue;
    const target = relative(root, resolve(dirname(file), spec));
    if (target.startsWith('..')) continue;
    const to = domainOf(target);
    if (!to || to === from) continue;
    if (target !== join(to, 'index.ts')) violations.push(`${rel}: imports ${spec} (use src/${to}/index.ts)`);
  }
}
if (violations.length > 0) {
  console.error(`Domain boundary violations (${violations.length}):\n${violations.join('\n')}`);
  process.exit(1);
}
console.log('check-imports: domain boundaries respected');
