import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baseName, isValidPath, isWithin, parentOf } from './path.ts';

test('path grammar follows kcp', () => {
  for (const ok of ['root', 'root:org', 'root:org:team-1', 'a', 'root:' + 'x'.repeat(63)]) assert.ok(isValidPath(ok), ok);
  for (const bad of ['', 'Root', 'root:', ':root', 'root::org', 'root:-a', 'root:a-', 'root:' + 'x'.repeat(64), '*', 'root/org', 'root:o_g']) {
    assert.ok(!isValidPath(bad), bad);
  }
});

test('parent, base name and ancestry', () => {
  assert.equal(parentOf('root:org:team'), 'root:org');
  assert.equal(parentOf('root'), undefined);
  assert.equal(baseName('root:org:team'), 'team');
  assert.ok(isWithin('root:org:team', 'root:org'));
  assert.ok(isWithin('root:org', 'root:org'));
  assert.ok(!isWithin('root:organisation', 'root:org'));
});
