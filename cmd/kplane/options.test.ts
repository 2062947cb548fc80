import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFlags, UsageError } from '../../pkg/options/flags.ts';
import { readFileSync } from 'node:fs';
import { DEFAULT_SYNCER_IMAGE, START_FLAGS, startOptionsSchema } from './options.ts';

const parse = (argv: string[]) => parseFlags(argv, START_FLAGS, startOptionsSchema).values;

test('defaults', () => {
  const o = parse([]);
  assert.equal(o['root-dir'], '.kplane');
  assert.equal(o['secure-port'], 6443);
  assert.equal(o.storage, 'sqlite');
  assert.equal(o['heartbeat-threshold'], '60s');
  assert.equal(o['eviction-grace'], '5m');
  assert.equal(parse(['--eviction-grace', '5s'])['eviction-grace'], '5s');
  assert.equal(o.dashboard, true);
  assert.equal(parse(['--dashboard', 'false']).dashboard, false);
});

test('bad values are one-line usage errors', () => {
  for (const argv of [['--secure-port', 'abc'], ['--secure-port', '70000'], ['--storage', 'mysql'], ['--heartbeat-threshold', '60'], ['--eviction-grace', 'soon'], ['--bogus'], ['--storage', 'etcd'], ['--bind-address', 'x'], ['--dashboard', 'no']]) {
    assert.throws(() => parse(argv), (e) => e instanceof UsageError && !e.message.includes('\n'), argv.join(' '));
  }
});

test('the default syncer image is the release image of this version', () => {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.equal(DEFAULT_SYNCER_IMAGE, `ghcr.io/kplane-dev/kplane:v${version}`);
});
