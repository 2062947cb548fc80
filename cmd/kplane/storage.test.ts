import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFlags, UsageError } from '../../pkg/options/flags.ts';
import { START_FLAGS, startOptionsSchema } from './options.ts';
import { etcdOptionsFrom } from './storage.ts';

const parse = (argv: string[]) => parseFlags(argv, START_FLAGS, startOptionsSchema).values;

test('etcd flags: endpoints split, prefix defaults to /kplane without a trailing slash', () => {
  const o = parse(['--storage', 'etcd', '--etcd-servers', 'http://a:2379, http://b:2379', '--etcd-prefix', '/x/']);
  assert.deepEqual(etcdOptionsFrom(o), { endpoints: ['http://a:2379', 'http://b:2379'], prefix: '/x' });
  assert.equal(parse(['--storage', 'etcd', '--etcd-servers', 'http://a:2379'])['etcd-prefix'], '/kplane');
});

test('--leader-elect defaults to true and accepts false', () => {
  assert.equal(parse([])['leader-elect'], true);
  assert.equal(parse(['--leader-elect=false'])['leader-elect'], false);
  assert.throws(() => parse(['--leader-elect', 'maybe']), UsageError);
});

test('--etcd-certfile without --etcd-keyfile is a usage error', () => {
  assert.throws(() => parse(['--storage', 'etcd', '--etcd-servers', 'http://a', '--etcd-certfile', 'c.pem']), UsageError);
});
