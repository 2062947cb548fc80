#!/usr/bin/env node
// Runs on `npm ci`/`npm install` (the root package's `prepare` script): links this package's
// own `bin` entries into node_modules/.bin. npm links dependencies' bins but not the root
// package's, and `kubectl ws` needs `kubectl-ws` on the PATH: with these links,
// `npm exec -- kubectl ws …` works, and so does `export PATH="$PWD/node_modules/.bin:$PATH"`.
// Plain JavaScript on purpose: it may run on the machine's own (older) Node.
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, unlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const binDir = join(root, 'node_modules', '.bin');
if (!existsSync(join(root, 'node_modules'))) process.exit(0);
mkdirSync(binDir, { recursive: true });
for (const [name, target] of Object.entries(pkg.bin ?? {})) {
  const link = join(binDir, name);
  const to = relative(binDir, join(root, target));
  try {
    if (lstatSync(link, { throwIfNoEntry: false })) unlinkSync(link);
    symlinkSync(to, link);
    chmodSync(join(root, target), 0o755);
  } catch (err) {
    console.warn(`could not link ${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
