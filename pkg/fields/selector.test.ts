import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  escapeFieldValue,
  exactName,
  FieldSelectorError,
  fieldSelectorToString,
  fieldsMatch,
  parseFieldSelector,
  requireSupported,
} from './selector.ts';

const getter = (o: Record<string, string>) => (f: string) => o[f];

describe('parseFieldSelector', () => {
  test('empty selector matches everything', () => {
    const s = parseFieldSelector('');
    assert.deepEqual(s.requirements, []);
    assert.equal(fieldsMatch(s, getter({})), true);
  });

  test('=, == and != terms, sorted as apimachinery sorts them', () => {
    const s = parseFieldSelector('metadata.name=a,involvedObject.kind==Pod,type!=Normal');
    assert.deepEqual(s.requirements, [
      { field: 'involvedObject.kind', operator: '=', value: 'Pod' },
      { field: 'metadata.name', operator: '=', value: 'a' },
      { field: 'type', operator: '!=', value: 'Normal' },
    ]);
    assert.equal(fieldsMatch(s, getter({ 'metadata.name': 'a', 'involvedObject.kind': 'Pod', type: 'Warning' })), true);
    assert.equal(fieldsMatch(s, getter({ 'metadata.name': 'a', 'involvedObject.kind': 'Pod', type: 'Normal' })), false);
    assert.equal(fieldsMatch(s, getter({ 'metadata.name': 'b', 'involvedObject.kind': 'Pod' })), false);
  });

  test('absent fields compare as the empty string', () => {
    assert.equal(fieldsMatch(parseFieldSelector('spec.x='), getter({})), true);
    assert.equal(fieldsMatch(parseFieldSelector('spec.x!='), getter({})), false);
  });

  test('escapes in values', () => {
    const s = parseFieldSelector('metadata.name=a\\,b\\=c\\\\d,x=y');
    assert.deepEqual(s.requirements[0], { field: 'metadata.name', operator: '=', value: 'a,b=c\\d' });
    assert.equal(s.requirements.length, 2);
    assert.equal(escapeFieldValue('a,b=c\\d'), 'a\\,b\\=c\\\\d');
    assert.equal(fieldSelectorToString(s), 'metadata.name=a\\,b\\=c\\\\d,x=y');
  });

  test('errors carry the apimachinery text', () => {
    assert.throws(() => parseFieldSelector('nonsense'), {
      name: 'FieldSelectorError',
      message: "invalid selector: 'nonsense'; can't understand 'nonsense'",
    });
    assert.throws(() => parseFieldSelector('a=b\\x'), { message: 'invalid field selector: invalid escape sequence: \\x' });
    assert.throws(() => parseFieldSelector('a=b\\'), { message: 'invalid field selector: invalid escape sequence: \\' });
    assert.throws(() => parseFieldSelector('a=b=c'), { message: 'invalid field selector: unescaped character in value: 61' });
  });

  test('never throws anything but FieldSelectorError', () => {
    const alphabet = ['a', '=', '!', ',', '\\', '.', ' ', '__proto__', 'é'];
    let seed = 7;
    for (let i = 0; i < 3000; i++) {
      let s = '';
      const n = i % 17;
      for (let j = 0; j < n; j++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        s += alphabet[seed % alphabet.length];
      }
      try {
        parseFieldSelector(s);
      } catch (err) {
        assert.ok(err instanceof FieldSelectorError, `${s}: ${String(err)}`);
      }
    }
  });
});

describe('requireSupported and exactName', () => {
  test('unsupported field label gives the kube message', () => {
    const s = parseFieldSelector('metadata.name=x,spec.location=y');
    assert.throws(() => requireSupported(s, new Set(['metadata.name', 'metadata.namespace'])), (err: unknown) => {
      assert.ok(err instanceof FieldSelectorError);
      assert.equal(err.kind, 'BadRequest');
      assert.equal(err.message, 'field label not supported: spec.location');
      assert.equal(err.field, 'spec.location');
      return true;
    });
    requireSupported(parseFieldSelector('metadata.name=x'), new Set(['metadata.name']));
  });

  test('exactName only for an equality on metadata.name', () => {
    assert.equal(exactName(parseFieldSelector('metadata.name=st-1')), 'st-1');
    assert.equal(exactName(parseFieldSelector('metadata.namespace=a,metadata.name==b')), 'b');
    assert.equal(exactName(parseFieldSelector('metadata.name!=st-1')), undefined);
    assert.equal(exactName(parseFieldSelector('')), undefined);
  });
});
