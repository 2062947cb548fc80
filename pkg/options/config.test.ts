import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { envName, loadConfig, usageWithSources } from './config.ts';
import { type FlagSpec, UsageError } from './flags.ts';

const SPECS: Record<string, FlagSpec> = {
  'secure-port': { type: 'string', description: 'port', default: '6443' },
  'root-dir': { type: 'string', description: 'dir', default: '.kplane' },
  'etcd-servers': { type: 'string', description: 'urls' },
  debug: { type: 'boolean', description: 'debug' },
  help: { type: 'boolean', short: 'h', description: 'help' },
};
const schema = z.object({
  'secure-port': z.string().regex(/^\d+$/, 'must be a port number').transform(Number).default(6443),
  'root-dir': z.string().default('.kplane'),
  'etcd-servers': z.string().optional(),
  debug: z.boolean().optional(),
  help: z.boolean().optional(),
});
const files: Record<string, string> = {
  'kplane.yaml': 'secure-port: 7000\nroot-dir: /from/file\netcd-servers: [http://a:2379, http://b:2379]\ndebug: true\n',
  'typo.yaml': 'secure-prot: 1\n',
  'bad.yaml': 'secure-port: nope\n',
  'list.yaml': '- a\n- b\n',
};
const load = (argv: string[], env: Record<string, string> = {}) =>
  loadConfig(SPECS, schema, {
    argv,
    env,
    readFile: (p) => {
      const f = files[p];
      if (f === undefined) throw new Error(`ENOENT: ${p}`);
      return f;
    },
  });

test('env names are KPLANE_ and the flag in upper snake case', () => {
  assert.equal(envName('secure-port'), 'KPLANE_SECURE_PORT');
  assert.equal(envName('v'), 'KPLANE_V');
});

test('defaults apply when nothing is set', () => {
  const c = load([]);
  assert.equal(c.values['secure-port'], 6443);
  assert.deepEqual(c.sources, {});
});

test('precedence: flag > env > file > default', () => {
  const file = load(['--config', 'kplane.yaml']);
  assert.equal(file.values['secure-port'], 7000);
  assert.equal(file.values['etcd-servers'], 'http://a:2379,http://b:2379', 'YAML lists join with commas');
  assert.equal(file.values.debug, true);
  const env = load(['--config', 'kplane.yaml'], { KPLANE_SECURE_PORT: '7100' });
  assert.equal(env.values['secure-port'], 7100);
  assert.equal(env.values['root-dir'], '/from/file');
  const flag = load(['--config', 'kplane.yaml', '--secure-port', '7200'], { KPLANE_SECURE_PORT: '7100' });
  assert.equal(flag.values['secure-port'], 7200);
  assert.deepEqual(flag.sources, { 'secure-port': 'flag', 'root-dir': 'file', 'etcd-servers': 'file', debug: 'file' });
});

test('KPLANE_CONFIG names the file when --config is absent; an empty env var counts as unset', () => {
  const c = load([], { KPLANE_CONFIG: 'kplane.yaml', KPLANE_ROOT_DIR: '' });
  assert.equal(c.configFile, 'kplane.yaml');
  assert.equal(c.values['root-dir'], '/from/file');
});

test('every source is validated by the same schema and errors name the source', () => {
  const cases: [string[], Record<string, string>, RegExp][] = [
    [['--secure-port', 'x'], {}, /invalid value for --secure-port: must be a port number/],
    [[], { KPLANE_SECURE_PORT: 'x' }, /--secure-port \(from KPLANE_SECURE_PORT\)/],
    [['--config', 'bad.yaml'], {}, /--secure-port \(from bad.yaml: secure-port\)/],
    [['--config', 'typo.yaml'], {}, /unknown key "secure-prot"/],
    [['--config', 'list.yaml'], {}, /must be a YAML mapping/],
    [['--config', 'missing.yaml'], {}, /cannot read config file missing.yaml/],
    [[], { KPLANE_DEBUG: 'maybe' }, /KPLANE_DEBUG: must be true or false/],
    [['--bogus'], {}, /bogus/],
  ];
  for (const [argv, env, re] of cases) {
    assert.throws(() => load(argv, env), (e) => e instanceof UsageError && re.test(e.message) && !e.message.includes('\n'), `${argv.join(' ')} ${JSON.stringify(env)}`);
  }
});

test('--help cannot come from the environment', () => {
  assert.equal(load([], { KPLANE_HELP: 'true' }).values.help, undefined);
});

test('usage lists defaults and environment variables', () => {
  const u = usageWithSources('kplane start', 'Run it.', SPECS);
  assert.match(u, /--secure-port value .* \(default "6443"\) \[KPLANE_SECURE_PORT\]/);
  assert.match(u, /--config value/);
  assert.doesNotMatch(u, /KPLANE_HELP/);
});
