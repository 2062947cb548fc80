import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeKubeProtobuf, ProtobufError } from './index.ts';
import { encodeKubeEnvelope, encodeMessage, pb, KUBE_PROTOBUF_MAGIC } from './encode.ts';

// What client-go writes for an empty ObjectMeta: every non-pointer field, zero-valued.
const emptyMeta = pb.msg(1, pb.str(1, ''), pb.str(2, ''), pb.str(3, ''), pb.str(4, ''), pb.str(5, ''), pb.str(6, ''), pb.int(7, 0), pb.msg(8));

describe('decodeKubeProtobuf', () => {
  test('SelfSubjectAccessReview from `kubectl auth can-i list synctargets`', () => {
    const raw = encodeMessage([
      emptyMeta,
      pb.msg(
        2,
        pb.msg(1, pb.str(1, 'default'), pb.str(2, 'list'), pb.str(3, 'workload.kcp.io'), pb.str(4, ''), pb.str(5, 'synctargets'), pb.str(6, ''), pb.str(7, '')),
      ),
      pb.msg(3, pb.int(1, false), pb.str(2, ''), pb.str(3, '')),
    ]);
    const got = decodeKubeProtobuf(encodeKubeEnvelope('authorization.k8s.io/v1', 'SelfSubjectAccessReview', raw));
    assert.equal(got.kind, 'SelfSubjectAccessReview');
    assert.deepEqual(got.object, {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: {},
      spec: { resourceAttributes: { namespace: 'default', verb: 'list', group: 'workload.kcp.io', resource: 'synctargets' } },
      status: { allowed: false },
    });
  });

  test('SelfSubjectAccessReview for a non-resource URL, with selectors', () => {
    const raw = encodeMessage([
      pb.msg(2, pb.msg(2, pb.str(1, '/healthz'), pb.str(2, 'get'))),
    ]);
    const got = decodeKubeProtobuf(encodeKubeEnvelope('authorization.k8s.io/v1', 'SelfSubjectAccessReview', raw));
    assert.deepEqual(got.object.spec, { nonResourceAttributes: { path: '/healthz', verb: 'get' } });

    const withSel = encodeMessage([
      pb.msg(2, pb.msg(1, pb.str(2, 'list'), pb.str(5, 'pods'), pb.msg(9, pb.str(1, 'a=b'), pb.msg(2, pb.str(1, 'a'), pb.str(2, 'In'), pb.str(3, 'b'), pb.str(3, 'c'))))),
    ]);
    const sel = decodeKubeProtobuf(encodeKubeEnvelope('authorization.k8s.io/v1', 'SelfSubjectAccessReview', withSel));
    assert.deepEqual(sel.object.spec, {
      resourceAttributes: {
        verb: 'list',
        resource: 'pods',
        labelSelector: { rawSelector: 'a=b', requirements: [{ key: 'a', operator: 'In', values: ['b', 'c'] }] },
      },
    });
  });

  test('SelfSubjectRulesReview and SelfSubjectReview', () => {
    const rules = decodeKubeProtobuf(
      encodeKubeEnvelope('authorization.k8s.io/v1', 'SelfSubjectRulesReview', encodeMessage([emptyMeta, pb.msg(2, pb.str(1, 'default'))])),
    );
    assert.deepEqual(rules.object, {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectRulesReview',
      metadata: {},
      spec: { namespace: 'default' },
    });
    const who = decodeKubeProtobuf(encodeKubeEnvelope('authentication.k8s.io/v1', 'SelfSubjectReview', encodeMessage([emptyMeta, pb.msg(2)])));
    assert.deepEqual(who.object, { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {}, status: {} });
  });

  test('Namespace from `kubectl create namespace team-a`', () => {
    const raw = encodeMessage([pb.msg(1, pb.str(1, 'team-a'), pb.msg(8)), pb.msg(2), pb.msg(3, pb.str(1, ''))]);
    const got = decodeKubeProtobuf(encodeKubeEnvelope('v1', 'Namespace', raw));
    assert.deepEqual(got.object, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' }, spec: {}, status: {} });
  });

  test('ObjectMeta: labels, annotations, owners, finalizers, times, managedFields', () => {
    const meta = pb.msg(
      1,
      pb.str(1, 'cm'),
      pb.str(3, 'default'),
      pb.int(7, 3),
      pb.msg(8, pb.int(1, 1_700_000_000), pb.int(2, 123)),
      pb.int(10, 0),
      pb.entry(11, 'app', { t: 'bytes', v: 'web' }),
      pb.entry(11, '__proto__', { t: 'bytes', v: 'x' }),
      pb.entry(12, 'note', { t: 'bytes', v: '' }),
      pb.msg(13, pb.str(1, 'Deployment'), pb.str(3, 'd'), pb.str(4, 'u-1'), pb.str(5, 'apps/v1'), pb.int(6, true)),
      pb.str(14, 'a/b'),
      pb.str(14, 'c/d'),
      pb.msg(17, pb.str(1, 'kubectl'), pb.str(2, 'Apply'), pb.str(3, 'v1'), pb.msg(4, pb.int(1, 0)), pb.str(6, 'FieldsV1'), pb.msg(7, pb.str(1, '{"f:data":{"f:a":{}}}'))),
    );
    const got = decodeKubeProtobuf(encodeKubeEnvelope('v1', 'ConfigMap', encodeMessage([meta])));
    const m = got.object.metadata as Record<string, unknown>;
    assert.equal(m.name, 'cm');
    assert.equal(m.generation, 3);
    assert.equal(m.creationTimestamp, '2023-11-14T22:13:20Z');
    assert.equal(m.deletionGracePeriodSeconds, 0);
    assert.deepEqual(Object.keys(m.labels as object), ['app', '__proto__']);
    assert.equal(Object.getPrototypeOf(m.labels), Object.prototype);
    assert.deepEqual(m.annotations, { note: '' });
    assert.deepEqual(m.ownerReferences, [{ kind: 'Deployment', name: 'd', uid: 'u-1', apiVersion: 'apps/v1', controller: true }]);
    assert.deepEqual(m.finalizers, ['a/b', 'c/d']);
    assert.deepEqual(m.managedFields, [
      { manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', time: '1970-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } },
    ]);
  });

  test('ConfigMap with binaryData, Secret with data, ServiceAccount', () => {
    const cm = decodeKubeProtobuf(
      encodeKubeEnvelope(
        'v1',
        'ConfigMap',
        encodeMessage([
          pb.msg(1, pb.str(1, 'c')),
          pb.entry(2, 'k', { t: 'bytes', v: 'v' }),
          pb.entry(3, 'bin', { t: 'bytes', v: Uint8Array.from([0, 1, 2, 255]) }),
          pb.int(4, false),
        ]),
      ),
    );
    assert.deepEqual(cm.object, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'v' }, binaryData: { bin: 'AAEC/w==' }, immutable: false });

    const sec = decodeKubeProtobuf(
      encodeKubeEnvelope(
        'v1',
        'Secret',
        encodeMessage([pb.msg(1, pb.str(1, 's')), pb.entry(2, 'password', { t: 'bytes', v: 'hunter2' }), pb.str(3, 'Opaque'), pb.entry(4, 'plain', { t: 'bytes', v: 'p' })]),
      ),
    );
    assert.deepEqual(sec.object, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { password: Buffer.from('hunter2').toString('base64') },
      type: 'Opaque',
      stringData: { plain: 'p' },
    });

    const sa = decodeKubeProtobuf(
      encodeKubeEnvelope('v1', 'ServiceAccount', encodeMessage([pb.msg(1, pb.str(1, 'sa')), pb.msg(2, pb.str(3, 'tok')), pb.msg(3, pb.str(1, 'pull')), pb.int(4, false)])),
    );
    assert.deepEqual(sa.object, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'sa' },
      secrets: [{ name: 'tok' }],
      imagePullSecrets: [{ name: 'pull' }],
      automountServiceAccountToken: false,
    });
  });

  test('unknown fields are skipped, including fixed32/fixed64', () => {
    const raw = encodeMessage([pb.msg(1, pb.str(1, 'n'), pb.int(99, 5), [98, { t: 'fixed32' }], [97, { t: 'fixed64' }]), pb.str(50, 'x')]);
    assert.deepEqual(decodeKubeProtobuf(encodeKubeEnvelope('v1', 'Namespace', raw)).object, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } });
  });

  test('unsupported kinds and encodings are Unsupported; malformed input is BadRequest', () => {
    const unsupported = (buf: Uint8Array) =>
      assert.throws(() => decodeKubeProtobuf(buf), (e: unknown) => e instanceof ProtobufError && e.kind === 'Unsupported');
    const badRequest = (buf: Uint8Array) =>
      assert.throws(() => decodeKubeProtobuf(buf), (e: unknown) => e instanceof ProtobufError && e.kind === 'BadRequest');
    unsupported(encodeKubeEnvelope('v1', 'Pod', new Uint8Array()));
    unsupported(encodeKubeEnvelope('v2', 'Namespace', new Uint8Array()));
    const gz = encodeMessage([pb.msg(1, pb.str(1, 'v1'), pb.str(2, 'Namespace')), pb.str(3, 'gzip')]);
    unsupported(Uint8Array.from([...KUBE_PROTOBUF_MAGIC, ...gz]));
    badRequest(new Uint8Array());
    badRequest(Uint8Array.from([1, 2, 3, 4]));
    badRequest(Uint8Array.from([...KUBE_PROTOBUF_MAGIC]));
    badRequest(Uint8Array.from([...KUBE_PROTOBUF_MAGIC, 0x0a, 0x05, 0x0a]));
    // wire type mismatch: metadata as a varint
    badRequest(encodeKubeEnvelope('v1', 'Namespace', encodeMessage([pb.int(1, 7)])));
    // a varint that never ends
    badRequest(encodeKubeEnvelope('v1', 'Namespace', Uint8Array.from([0x38, ...new Array<number>(12).fill(0xff)])));
    // a group (wire type 3)
    badRequest(encodeKubeEnvelope('v1', 'Namespace', Uint8Array.from([0x0b])));
    // managedFields with broken JSON
    badRequest(encodeKubeEnvelope('v1', 'Namespace', encodeMessage([pb.msg(1, pb.msg(17, pb.msg(7, pb.str(1, '{'))))])));
  });

  test('fuzz: random and mutated buffers only ever throw ProtobufError', () => {
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const valid = encodeKubeEnvelope(
      'authorization.k8s.io/v1',
      'SelfSubjectAccessReview',
      encodeMessage([emptyMeta, pb.msg(2, pb.msg(1, pb.str(1, 'default'), pb.str(2, 'get'), pb.str(5, 'pods')))]),
    );
    const kinds = ['Namespace', 'ConfigMap', 'Secret', 'ServiceAccount'];
    for (let i = 0; i < 4000; i++) {
      let buf: Uint8Array;
      if (i % 3 === 0) {
        buf = Uint8Array.from({ length: rnd(64) }, () => rnd(256));
        if (i % 2 === 0) buf = Uint8Array.from([...KUBE_PROTOBUF_MAGIC, ...buf]);
      } else if (i % 3 === 1) {
        buf = Uint8Array.from(valid);
        for (let j = 0; j < 1 + rnd(4); j++) buf[4 + rnd(buf.length - 4)] = rnd(256);
        buf = buf.subarray(0, 4 + rnd(buf.length - 3));
      } else {
        const body = Uint8Array.from({ length: rnd(80) }, () => rnd(256));
        buf = encodeKubeEnvelope('v1', kinds[rnd(kinds.length)] ?? 'Namespace', body);
      }
      try {
        decodeKubeProtobuf(buf);
      } catch (e) {
        assert.ok(e instanceof ProtobufError, `${Buffer.from(buf).toString('hex')}: ${String(e)}`);
      }
    }
  });
});
