import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Condition, copyConditions, falseCondition, setCondition, summary, trueCondition } from './conditions.ts';

test('lastTransitionTime moves only when status changes; sorted with Ready first', () => {
  const cs: Condition[] = [];
  assert.ok(setCondition(cs, trueCondition('Valid'), 1_000_500));
  assert.ok(setCondition(cs, falseCondition('Ready', 'NotYet', 'Info', 'waiting'), 1_000_500));
  assert.deepEqual(cs.map((c) => c.type), ['Ready', 'Valid']);
  assert.equal(cs[1]!.lastTransitionTime, '1970-01-01T00:16:40Z');
  assert.ok(!setCondition(cs, trueCondition('Valid'), 2_000_000), 'same status, same everything: no change');
  assert.equal(cs[1]!.lastTransitionTime, '1970-01-01T00:16:40Z');
  assert.ok(setCondition(cs, falseCondition('Ready', 'Other', 'Error', 'changed message'), 2_000_000));
  assert.equal(cs[0]!.lastTransitionTime, '1970-01-01T00:16:40Z', 'message change keeps the time');
  assert.ok(setCondition(cs, trueCondition('Ready'), 3_000_000));
  assert.equal(cs[0]!.lastTransitionTime, '1970-01-01T00:50:00Z');
  assert.equal(cs[0]!.severity, undefined);
});

test('summary names the first failing condition', () => {
  const cs: Condition[] = [];
  setCondition(cs, trueCondition('Valid'), 0);
  setCondition(cs, falseCondition('HeartbeatHealthy', 'ErrorHeartbeat', 'Error', 'No heartbeat yet seen'), 0);
  assert.deepEqual(summary(cs, ['Valid', 'HeartbeatHealthy']), { type: 'Ready', status: 'False', reason: 'ErrorHeartbeat', message: 'No heartbeat yet seen', severity: 'Error' });
  assert.equal(summary(cs, ['Valid', 'Missing']).status, 'Unknown');
  setCondition(cs, trueCondition('HeartbeatHealthy'), 0);
  assert.equal(summary(cs, ['Valid', 'HeartbeatHealthy']).status, 'True');
});

test('copyConditions: a copy the setters may change without touching the original', () => {
  const original: Condition[] = [];
  setCondition(original, trueCondition('Ready'), 0);
  setCondition(original, falseCondition('HeartbeatHealthy', 'Stale', 'Error', 'no beat'), 0);
  const frozen = structuredClone(original);
  const copy = copyConditions(original);
  assert.deepEqual(copy, original);
  setCondition(copy, falseCondition('Ready', 'NotReady', 'Error', 'down'), 5_000);
  setCondition(copy, trueCondition('HeartbeatHealthy'), 5_000);
  assert.deepEqual(original, frozen);
  assert.deepEqual(copyConditions(undefined), []);
});
