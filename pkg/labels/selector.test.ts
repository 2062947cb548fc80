import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  labelsMatch,
  LabelSelectorError,
  labelSelectorFromMeta,
  labelSelectorToString,
  parseLabelSelector,
  requiresExactMatch,
  isEverything,
} from './index.ts';

const m = (sel: string, labels: Record<string, string>) => labelsMatch(parseLabelSelector(sel), labels);

describe('parseLabelSelector', () => {
  test('empty selects everything', () => {
    const s = parseLabelSelector('');
    assert.equal(isEverything(s), true);
    assert.equal(labelsMatch(s, {}), true);
    assert.equal(labelsMatch(parseLabelSelector('   '), undefined), true);
  });

  test('equality operators', () => {
    assert.equal(m('app=web', { app: 'web' }), true);
    assert.equal(m('app==web', { app: 'web' }), true);
    assert.equal(m('app=web', { app: 'db' }), false);
    assert.equal(m('app!=web', { app: 'db' }), true);
    assert.equal(m('app!=web', {}), true);
    assert.equal(m('app!=web', { app: 'web' }), false);
    assert.equal(m('app=', { app: '' }), true);
    assert.equal(m('app=', {}), false);
  });

  test('set operators with spaces', () => {
    assert.equal(m('env in (prod, staging)', { env: 'prod' }), true);
    assert.equal(m('env in (prod,staging)', { env: 'dev' }), false);
    assert.equal(m('env notin (prod)', {}), true);
    assert.equal(m('env notin (prod)', { env: 'prod' }), false);
    assert.equal(m('env in (prod),env!=dev', { env: 'prod' }), true);
    assert.deepEqual(parseLabelSelector('x in ()').requirements, [{ key: 'x', operator: 'in', values: [''] }]);
    assert.deepEqual(parseLabelSelector('x in (,a)').requirements, [{ key: 'x', operator: 'in', values: ['', 'a'] }]);
    assert.deepEqual(parseLabelSelector('x in (b,a,b)').requirements, [{ key: 'x', operator: 'in', values: ['a', 'b'] }]);
  });

  test('exists and does-not-exist', () => {
    assert.equal(m('app', { app: '' }), true);
    assert.equal(m('app', {}), false);
    assert.equal(m('!app', {}), true);
    assert.equal(m('!app', { app: 'x' }), false);
    assert.equal(m('a,!b', { a: '1' }), true);
  });

  test('gt and lt', () => {
    assert.equal(m('n>3', { n: '4' }), true);
    assert.equal(m('n>3', { n: '3' }), false);
    assert.equal(m('n<3', { n: 'x' }), false);
    assert.equal(m('n<3', { n: '-1' }), true);
  });

  test('keywords are plain values in a value context, prefixes in keys', () => {
    assert.equal(m('x=in', { x: 'in' }), true);
    assert.equal(m('example.com/tier in (notin)', { 'example.com/tier': 'notin' }), true);
  });

  test('canonical string is sorted by key', () => {
    assert.equal(labelSelectorToString(parseLabelSelector('b in (y,x), a!=1,!c,d')), 'a!=1,b in (x,y),!c,d');
  });

  test('requiresExactMatch', () => {
    assert.equal(requiresExactMatch(parseLabelSelector('a=1,b in (2)'), 'b'), '2');
    assert.equal(requiresExactMatch(parseLabelSelector('a!=1'), 'a'), undefined);
  });

  test('own labels only: __proto__ and toString are not inherited labels', () => {
    assert.equal(m('toString', {}), false);
    assert.equal(m('!constructor', {}), true);
    const labels = JSON.parse('{"__proto__":"x"}') as Record<string, string>;
    assert.equal(labelsMatch(parseLabelSelector('a'), labels), false);
  });

  test('syntax errors carry the apimachinery text', () => {
    const cases: Array<[string, string]> = [
      ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
      ['a=b,', "found '', expected: identifier after ','"],
      [',a', "found ',', expected: !, identifier, or 'end of string'"],
      ['a in b', "unable to parse requirement: found 'b' expected: '('"],
      ['a in (b', "unable to parse requirement: found '', expected: ',' or ')'"],
      ['a ~ b', "unable to parse requirement: found '~', expected: in, notin, =, ==, !=, gt, lt"],
      ['a=b c', "found 'c', expected: ',' or 'end of string'"],
      ['!a=b', "found '=', expected: ',' or 'end of string'"],
      ['a=(b)', "unable to parse requirement: found '(', expected: identifier"],
      ['a=>b', "unable to parse requirement: found '>', expected: identifier"],
    ];
    for (const [sel, msg] of cases) {
      assert.throws(() => parseLabelSelector(sel), (err: unknown) => {
        assert.ok(err instanceof LabelSelectorError, sel);
        assert.equal(err.message, msg, sel);
        return true;
      });
    }
  });

  test('key and value validation', () => {
    assert.throws(() => parseLabelSelector('a$b=c'), {
      message: /^unable to parse requirement: <nil>: Invalid value: "a\$b": name part must consist of alphanumeric characters/,
    });
    assert.throws(() => parseLabelSelector('a=b$'), {
      message: /^unable to parse requirement: values\[0\]\[a\]: Invalid value: "b\$": a valid label must be an empty string/,
    });
    assert.throws(() => parseLabelSelector(`a=${'x'.repeat(64)}`), { message: /must be no more than 63 bytes/ });
    assert.throws(() => parseLabelSelector('Bad_Prefix/x'), { message: /prefix part a lowercase RFC 1123 subdomain/ });
    assert.throws(() => parseLabelSelector('a/b/c'), { message: /a valid label key must consist/ });
    assert.throws(() => parseLabelSelector('/x'), { message: /prefix part must be non-empty/ });
  });

  test('random input only ever throws LabelSelectorError', () => {
    const alphabet = ['a', '=', '!', ',', '(', ')', ' ', 'in', 'notin', '<', '>', '/', '.', '$', '__proto__'];
    let seed = 11;
    for (let i = 0; i < 4000; i++) {
      let s = '';
      for (let j = 0; j < i % 13; j++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        s += alphabet[seed % alphabet.length];
      }
      try {
        parseLabelSelector(s);
      } catch (err) {
        assert.ok(err instanceof LabelSelectorError, `${JSON.stringify(s)}: ${String(err)}`);
      }
    }
  });
});

describe('labelSelectorFromMeta', () => {
  test('nil matches nothing, empty matches everything', () => {
    assert.equal(labelsMatch(labelSelectorFromMeta(undefined), {}), false);
    assert.equal(labelsMatch(labelSelectorFromMeta(null), { a: 'b' }), false);
    assert.equal(labelsMatch(labelSelectorFromMeta({}), { a: 'b' }), true);
  });

  test('matchLabels and matchExpressions', () => {
    const s = labelSelectorFromMeta({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['a', 'b'] },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    assert.equal(labelsMatch(s, { app: 'web', tier: 'a' }), true);
    assert.equal(labelsMatch(s, { app: 'web', tier: 'a', legacy: '' }), false);
    assert.equal(labelSelectorToString(s), 'app=web,!legacy,tier in (a,b)');
  });

  test('bad operators and shapes are typed errors', () => {
    assert.throws(() => labelSelectorFromMeta({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }), {
      name: 'LabelSelectorError',
      message: '"Gt" is not a valid label selector operator',
    });
    assert.throws(() => labelSelectorFromMeta({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), {
      message: /values set can't be empty/,
    });
    assert.throws(() => labelSelectorFromMeta({ matchLabels: [] as unknown as Record<string, string> }), LabelSelectorError);
  });
});
