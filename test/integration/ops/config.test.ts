// `kplane start` configuration from three sources on a real process: flag > KPLANE_* env >
// --config YAML file > default, all validated by the one zod schema; --help documents it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { TestClient } from '../../framework/http.ts';
import { REPO_ROOT, startKplane } from '../../framework/kplane.ts';

const dir = mkdtempSync(join(tmpdir(), 'kplane-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function kplane(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [join(REPO_ROOT, 'cmd', 'kplane', 'main.ts'), ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });
}

test('precedence on a running server: flag > env > file > default', async () => {
  const file = join(dir, 'kplane.yaml');
  writeFileSync(file, ['external-hostname: file.invalid', 'controllers: "-"', 'root-dir: /nonexistent/from-file', 'heartbeat-threshold: 90s', ''].join('\n'));
  const env = { KPLANE_CONFIG: file, KPLANE_EXTERNAL_HOSTNAME: 'env.invalid', KPLANE_ROOT_DIR: '/nonexistent/from-env' };
  // The fixture's child inherits this process's environment (each test file runs in its own process).
  Object.assign(process.env, env);
  let kp;
  try {
    kp = await startKplane(); // passes --root-dir and --secure-port as flags
  } finally {
    for (const k of Object.keys(env)) delete process.env[k];
  }
  await using _ = kp;
  const ready = kp.logs.find((l) => l.message === 'kplane is ready')!;
  const port = new URL(String(ready.url)).port;
  assert.equal(new URL(String(ready.url)).hostname, 'env.invalid', 'env beats file');
  assert.equal(ready.rootDir, kp.rootDir, 'flag beats env and file');
  const readyz = await new TestClient(`https://127.0.0.1:${port}`, kp.caPem).get('/readyz?verbose');
  assert.equal(readyz.status, 200);
  assert.doesNotMatch(readyz.text, /informers-synced/, 'controllers: "-" from the file applied (no controllers, so no informer check)');
});

test('a bad value from any source is a one-line usage error naming the source (exit 2)', () => {
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'secure-port: 99999\n');
  const typo = join(dir, 'typo.yaml');
  writeFileSync(typo, 'secure_port: 1\n');
  const cases: [string[], Record<string, string>, RegExp][] = [
    [['start', '--storage', 'mysql'], {}, /invalid value for --storage/],
    [['start'], { KPLANE_SECURE_PORT: 'abc' }, /invalid value for --secure-port \(from KPLANE_SECURE_PORT\)/],
    [['start', '--config', bad], {}, /invalid value for --secure-port \(from .*bad\.yaml: secure-port\)/],
    [['start', '--config', typo], {}, /unknown key "secure_port"/],
    [['start', '--v', 'loud'], {}, /invalid value for --v/],
  ];
  for (const [args, env, re] of cases) {
    const r = kplane(args, env);
    assert.equal(r.status, 2, `${args.join(' ')} ${JSON.stringify(env)}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('kplane start --help documents defaults and environment variables', () => {
  const r = kplane(['start', '--help']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /--secure-port value .*\(default "6443"\) \[KPLANE_SECURE_PORT\]/);
  assert.match(r.stdout, /--root-dir value .*\(default "\.kplane"\) \[KPLANE_ROOT_DIR\]/);
  assert.match(r.stdout, /--config value .*KPLANE_CONFIG/);
  assert.match(r.stdout, /flag > environment > file > default/);
});
