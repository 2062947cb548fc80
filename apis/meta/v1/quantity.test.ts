import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NonNegativeQuantitySchema, parseQuantity, QuantityParseError } from './quantity.ts';

test('parses the quantity forms Kubernetes accepts', () => {
  const cases: Array<[string, number, string]> = [
    ['100m', 0.1, 'DecimalSI'], ['2', 2, 'DecimalSI'], ['1.5', 1.5, 'DecimalSI'], ['8Gi', 8 * 2 ** 30, 'BinarySI'],
    ['1e3', 1000, 'DecimalExponent'], ['32M', 32e6, 'DecimalSI'], ['1k', 1000, 'DecimalSI'], ['512Ki', 512 * 1024, 'BinarySI'],
    ['.5', 0.5, 'DecimalSI'], ['5.', 5, 'DecimalSI'], ['1E', 1e18, 'DecimalSI'], ['2E-2', 0.02, 'DecimalExponent'], ['+3', 3, 'DecimalSI'],
  ];
  for (const [text, value, format] of cases) {
    const q = parseQuantity(text);
    assert.ok(Math.abs(q.value - value) < 1e-9 * Math.max(1, value), `${text}: ${q.value}`);
    assert.equal(q.format, format, text);
  }
});

test('rejects malformed quantities', () => {
  for (const bad of ['', 'abc', '1Gb', '1 Gi', ' 1', '1.2.3', 'Gi', '1e', '--1']) {
    assert.throws(() => parseQuantity(bad), QuantityParseError, bad);
  }
});

test('NonNegativeQuantitySchema rejects negatives and garbage with one message each', () => {
  assert.equal(NonNegativeQuantitySchema.safeParse('4').success, true);
  const neg = NonNegativeQuantitySchema.safeParse('-1');
  assert.equal(neg.success, false);
  assert.deepEqual(neg.error?.issues.map((i) => i.message), ['must be greater than or equal to 0']);
  const bad = NonNegativeQuantitySchema.safeParse('lots');
  assert.equal(bad.error?.issues.length, 1);
});
