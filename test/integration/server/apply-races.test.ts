// Server-side applies that race on one object: every write that loses its compare is tried
// again on the newer object, and the applied configuration must be the caller's own each
// time (a retry once saw a copy the first attempt had changed). Twenty managers each apply
// their own label at once, half as JSON and half as YAML; afterwards every label is there,
// each owned by its manager alone, and nothing else was lost.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestClient } from '../../framework/http.ts';
import { startKplane } from '../../framework/kplane.ts';

const CM = '/clusters/root/api/v1/namespaces/default/configmaps';
const APPLY = 'application/apply-patch+yaml';

function applyBody(i: number): string {
  if (i % 2 === 0) {
    return JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'raced', labels: { [`m${i}`]: String(i) } }, data: { [`k${i}`]: `v${i}` } });
  }
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: raced\n  labels:\n    m${i}: "${i}"\ndata:\n  k${i}: v${i}\n`;
}

test('racing server-side applies each land their own fields, JSON or YAML', { timeout: 120_000 }, async () => {
  await using kp = await startKplane({ args: ['--controllers', '-'] });
  const http = new TestClient(kp.url, kp.caPem, kp.adminToken);
  const base = await http.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'raced', labels: { keep: 'me' } }, data: { base: 'x' } });
  assert.equal(base.status, 201, base.text);

  const managers = Array.from({ length: 20 }, (_, i) => i);
  for (let round = 0; round < 3; round++) {
    const replies = await Promise.all(managers.map((i) => http.patch(`${CM}/raced?fieldManager=m${i}`, applyBody(i), APPLY)));
    for (const r of replies) assert.equal(r.status, 200, r.text);
  }

  const got = await http.get(`${CM}/raced`);
  assert.equal(got.status, 200, got.text);
  const obj = got.json as { metadata: { labels: Record<string, string>; managedFields: { manager: string; operation: string; fieldsV1: unknown }[] }; data: Record<string, string> };
  assert.equal(obj.metadata.labels['keep'], 'me');
  assert.equal(obj.data['base'], 'x');
  for (const i of managers) {
    assert.equal(obj.metadata.labels[`m${i}`], String(i));
    assert.equal(obj.data[`k${i}`], `v${i}`);
    const entries = obj.metadata.managedFields.filter((e) => e.manager === `m${i}`);
    assert.equal(entries.length, 1, `one entry for m${i}`);
    assert.equal(entries[0]!.operation, 'Apply');
    const owned = JSON.stringify(entries[0]!.fieldsV1);
    assert.ok(owned.includes(`"f:m${i}"`) && owned.includes(`"f:k${i}"`), `m${i} owns its label and key: ${owned}`);
    for (const j of managers) if (j !== i) assert.ok(!owned.includes(`"f:m${j}"`), `m${i} does not own m${j}'s label`);
  }
});
