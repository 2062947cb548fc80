// The protobuf v2 document decodes back (with the project's wire reader) into the gnostic
// fields kubectl reads: definitions with their GVK extension, PATCH operations with theirs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFields, type WireField } from '../protobuf/wire.ts';
import { defaultOpenAPIService } from './service.ts';
import { schemaFields } from './v2proto.ts';
import { encodeMessage } from '../protobuf/encode.ts';
import { v2Form } from './v2-http.ts';

const text = (f: WireField | undefined) => new TextDecoder().decode(f?.bytes ?? new Uint8Array());
const sub = (f: WireField | undefined) => readFields(f?.bytes ?? new Uint8Array());
const field = (fs: WireField[], n: number) => fs.filter((f) => f.field === n);

test('Document: swagger, definitions with x-kubernetes-group-version-kind, patch operations', () => {
  const doc = readFields(defaultOpenAPIService().v2Protobuf());
  assert.equal(text(field(doc, 1)[0]), '2.0');
  const defs = field(sub(field(doc, 9)[0]), 1).map(sub);
  const cm = defs.find((d) => text(field(d, 1)[0]) === 'io.k8s.api.core.v1.ConfigMap');
  assert.ok(cm, 'ConfigMap definition');
  const schema = sub(field(cm, 2)[0]);
  const ext = field(schema, 31).map(sub).find((e) => text(field(e, 1)[0]) === 'x-kubernetes-group-version-kind');
  assert.deepEqual(JSON.parse(text(field(sub(field(ext!, 2)[0]), 2)[0])), [{ group: '', kind: 'ConfigMap', version: 'v1' }]);
  const props = field(sub(field(schema, 25)[0]), 1).map((p) => text(field(sub(p), 1)[0]));
  assert.ok(props.includes('data') && props.includes('metadata'), props.join());
  const paths = field(sub(field(doc, 8)[0]), 2).map(sub);
  const cmPath = paths.find((p) => text(field(p, 1)[0]) === '/api/v1/namespaces/{namespace}/configmaps/{name}');
  assert.ok(cmPath);
  const patch = sub(field(sub(field(cmPath, 2)[0]), 8)[0]);
  const consumes = field(patch, 7).map(text);
  assert.ok(consumes.includes('application/strategic-merge-patch+json'), consumes.join());
});

test('schemas are shaped for kube-openapi: allOf refs flattened, preserve-unknown-fields arbitrary', () => {
  const ref = readFields(encodeMessage(schemaFields({ allOf: [{ $ref: '#/definitions/x' }], description: 'd', default: {} })));
  assert.deepEqual(ref.map((f) => f.field), [1, 4]);
  assert.equal(text(ref[0]), '#/definitions/x');
  const loose = readFields(encodeMessage(schemaFields({ type: 'object', properties: { a: { type: 'string' } }, 'x-kubernetes-preserve-unknown-fields': true })));
  assert.deepEqual(loose.map((f) => f.field), [31], 'no type, no properties: an arbitrary value');
  const empty = readFields(encodeMessage(schemaFields({ type: 'object', properties: {} })));
  assert.deepEqual(empty.map((f) => f.field), [22], 'empty properties left out (an open map)');
});

test('v2 negotiation: JSON by default, protobuf for kubectl, 406 otherwise', () => {
  assert.equal(v2Form(undefined), 'json');
  assert.equal(v2Form('application/json'), 'json');
  assert.equal(v2Form('application/com.github.proto-openapi.spec.v2@v1.0+protobuf'), 'protobuf');
  assert.equal(v2Form('application/com.github.proto-openapi.spec.v2.v1.0+protobuf, application/json'), 'protobuf');
  assert.equal(v2Form('text/html'), undefined);
});
