import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StatusError } from '../../apierrors/errors.ts';
import { checkBoolParams, parseBool, queryBool } from './bool.ts';

test('parseBool accepts exactly the forms of strconv.ParseBool', () => {
  for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) assert.equal(parseBool(t), true, t);
  for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False']) assert.equal(parseBool(f), false, f);
  for (const bad of ['', 'yes', 'no', 'tRUE', 'FaLse', '2', ' true', 'true ', 'on']) assert.equal(parseBool(bad), undefined, bad);
});

test('queryBool: absent is false, Python-style True is true, garbage is 400', () => {
  assert.equal(queryBool(new URL('https://x/?a=1'), 'watch'), false);
  assert.equal(queryBool(new URL('https://x/?watch=True'), 'watch'), true);
  assert.equal(queryBool(new URL('https://x/?watch=F'), 'watch'), false);
  assert.throws(() => queryBool(new URL('https://x/?force=yes'), 'force'), (err: unknown) => {
    assert.ok(err instanceof StatusError);
    assert.equal(err.code, 400);
    assert.equal(err.reason, 'BadRequest');
    assert.match(err.message, /force/);
    return true;
  });
});

test('checkBoolParams checks every known boolean parameter', () => {
  checkBoolParams(new URL('https://x/?watch=true&allowWatchBookmarks=True&pretty=0&labelSelector=a'));
  for (const name of ['watch', 'allowWatchBookmarks', 'force', 'sendInitialEvents', 'pretty']) {
    assert.throws(() => checkBoolParams(new URL(`https://x/?${name}=maybe`)), StatusError, name);
  }
});
