import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue,
  validateDNS1123LabelName, validateDNS1123SubdomainName, validatePathSegmentName,
} from './validation.ts';

test('DNS-1123 subdomain', () => {
  for (const ok of ['a', 'edge-1', 'example.com', '0abc']) assert.deepEqual(isDNS1123Subdomain(ok), [], ok);
  for (const bad of ['Bad_Name', '-a', 'a-', 'a..b', '', 'x'.repeat(254)]) assert.notDeepEqual(isDNS1123Subdomain(bad), [], bad);
  assert.match(isDNS1123Subdomain('Bad_Name')[0] ?? '', /^a lowercase RFC 1123 subdomain must consist of/);
});

test('DNS-1123 label', () => {
  assert.deepEqual(isDNS1123Label('team-a'), []);
  assert.notDeepEqual(isDNS1123Label('a.b'), []);
  assert.notDeepEqual(isDNS1123Label('x'.repeat(64)), []);
});

test('generateName prefixes may end in a dash', () => {
  assert.deepEqual(validateDNS1123SubdomainName('edge-', true), []);
  assert.notDeepEqual(validateDNS1123SubdomainName('edge-', false), []);
  assert.deepEqual(validateDNS1123LabelName('ws-', true), []);
});

test('path segment names allow colons', () => {
  assert.deepEqual(validatePathSegmentName('system:controller:x', false), []);
  assert.notDeepEqual(validatePathSegmentName('a/b', false), []);
  assert.notDeepEqual(validatePathSegmentName('..', false), []);
});

test('label keys and values, config keys', () => {
  assert.deepEqual(isQualifiedName('internal.workload.kcp.io/key'), []);
  assert.notDeepEqual(isQualifiedName('a/b/c'), []);
  assert.notDeepEqual(isQualifiedName('/x'), []);
  assert.deepEqual(isValidLabelValue(''), []);
  assert.notDeepEqual(isValidLabelValue('-x'), []);
  assert.deepEqual(isConfigMapKey('kube.config_1'), []);
  assert.notDeepEqual(isConfigMapKey('a/b'), []);
});
