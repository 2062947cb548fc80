// TokenRequest, RBAC and Deployment decoding: real kubectl 1.32 bodies (testdata-kubectl.ts),
// encoder-built bodies for fields kubectl does not send, strict refusal, and a fuzz pass.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeKubeProtobuf, ProtobufError } from './index.ts';
import { encodeKubeEnvelope, encodeMessage, pb } from './encode.ts';
import { kubectlBody } from './testdata-kubectl.ts';

const RBAC = 'rbac.authorization.k8s.io/v1';
const unsupported = (e: unknown) => e instanceof ProtobufError && e.kind === 'Unsupported';

describe('TokenRequest', () => {
  test('`kubectl create token x` sends an empty spec', () => {
    assert.deepEqual(decodeKubeProtobuf(kubectlBody('create token x')).object, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      metadata: {},
      spec: {},
      status: {},
    });
  });

  test('--duration and --audience', () => {
    const got = decodeKubeProtobuf(kubectlBody('create token x --duration=20m --audience=a1 --audience=a2'));
    assert.deepEqual(got.object.spec, { audiences: ['a1', 'a2'], expirationSeconds: 1200 });
  });

  test('boundObjectRef, and a written expirationSeconds of 0 is kept', () => {
    const raw = encodeMessage([
      pb.msg(2, pb.str(1, 'api'), pb.int(4, 0), pb.msg(3, pb.str(1, 'Pod'), pb.str(2, 'v1'), pb.str(3, 'p'), pb.str(4, 'u-1'))),
      pb.msg(3, pb.str(1, 'tok'), pb.msg(2, pb.int(1, 1_700_000_000))),
    ]);
    const got = decodeKubeProtobuf(encodeKubeEnvelope('authentication.k8s.io/v1', 'TokenRequest', raw));
    assert.deepEqual(got.object.spec, {
      audiences: ['api'],
      expirationSeconds: 0,
      boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'u-1' },
    });
    assert.deepEqual(got.object.status, { token: 'tok', expirationTimestamp: '2023-11-14T22:13:20Z' });
  });
});

describe('RBAC', () => {
  test('Role from `kubectl create role` keeps the core group ""', () => {
    assert.deepEqual(decodeKubeProtobuf(kubectlBody('create role ro --verb=get --resource=configmaps')).object, {
      apiVersion: RBAC,
      kind: 'Role',
      metadata: { name: 'ro' },
      rules: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }],
    });
  });

  test('ClusterRole with non-resource URLs, and with an aggregation rule', () => {
    assert.deepEqual(decodeKubeProtobuf(kubectlBody('create clusterrole nr --verb=get --non-resource-url=/healthz')).object, {
      apiVersion: RBAC,
      kind: 'ClusterRole',
      metadata: { name: 'nr' },
      rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }],
    });
    assert.deepEqual(decodeKubeProtobuf(kubectlBody('create clusterrole agg --aggregation-rule=a=b')).object.aggregationRule, {
      clusterRoleSelectors: [{ matchLabels: { a: 'b' } }],
    });
  });

  test('ClusterRole rule with resourceNames and a selector with expressions', () => {
    const raw = encodeMessage([
      pb.msg(1, pb.str(1, 'r')),
      pb.msg(2, pb.str(1, 'get'), pb.str(1, 'list'), pb.str(2, 'workload.kcp.io'), pb.str(3, 'synctargets'), pb.str(4, 'n1'), pb.str(4, 'n2')),
      pb.msg(3, pb.msg(1, pb.msg(2, pb.str(1, 'tier'), pb.str(2, 'In'), pb.str(3, 'gold')))),
    ]);
    const got = decodeKubeProtobuf(encodeKubeEnvelope(RBAC, 'ClusterRole', raw));
    assert.deepEqual(got.object.rules, [{ verbs: ['get', 'list'], apiGroups: ['workload.kcp.io'], resources: ['synctargets'], resourceNames: ['n1', 'n2'] }]);
    assert.deepEqual(got.object.aggregationRule, { clusterRoleSelectors: [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['gold'] }] }] });
  });

  test('ClusterRoleBinding with user, group and service-account subjects', () => {
    const got = decodeKubeProtobuf(kubectlBody('create clusterrolebinding crb --clusterrole=r --user=alice --group=g1 --serviceaccount=default:x'));
    assert.deepEqual(got.object, {
      apiVersion: RBAC,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'crb' },
      subjects: [
        { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' },
        { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'g1' },
        { kind: 'ServiceAccount', name: 'x', namespace: 'default' },
      ],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' },
    });
  });

  test('RoleBinding; an empty roleRef.apiGroup stays "" (the JSON field is required)', () => {
    const got = decodeKubeProtobuf(kubectlBody('create rolebinding rb --role=ro --user=bob'));
    assert.deepEqual(got.object.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ro' });
    const raw = encodeMessage([pb.msg(1, pb.str(1, 'rb')), pb.msg(3, pb.str(1, ''), pb.str(2, 'Role'), pb.str(3, 'ro'))]);
    assert.deepEqual(decodeKubeProtobuf(encodeKubeEnvelope(RBAC, 'RoleBinding', raw)).object.roleRef, { apiGroup: '', kind: 'Role', name: 'ro' });
  });
});

describe('Deployment', () => {
  test('`kubectl create deployment d --image=nginx:1.27`', () => {
    assert.deepEqual(decodeKubeProtobuf(kubectlBody('create deployment d --image=nginx:1.27')).object, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', labels: { app: 'd' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'd' } },
        template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', resources: {} }] } },
        strategy: {},
      },
      status: {},
    });
  });

  test('replicas, port and command', () => {
    const got = decodeKubeProtobuf(kubectlBody('create deployment d2 --image=busybox --replicas=3 --port=8080 -- sleep 3600'));
    const spec = got.object.spec as { replicas: number; template: { spec: { containers: unknown[] } } };
    assert.equal(spec.replicas, 3);
    assert.deepEqual(spec.template.spec.containers, [
      { name: 'busybox', image: 'busybox', command: ['sleep', '3600'], ports: [{ containerPort: 8080 }], resources: {} },
    ]);
  });

  test('replicas 0, strategy with int and percent, resources, env, tolerations', () => {
    const container = pb.msg(
      2,
      pb.str(1, 'c'),
      pb.str(2, 'img'),
      pb.msg(7, pb.str(1, 'K'), pb.str(2, 'V')),
      pb.msg(8, pb.entry(1, 'cpu', { t: 'msg', v: [pb.str(1, '500m')] }), pb.entry(2, 'memory', { t: 'msg', v: [pb.str(1, '1Gi')] })),
      pb.msg(9, pb.str(1, 'data'), pb.str(3, '/data'), pb.int(2, true)),
      pb.str(14, 'IfNotPresent'),
    );
    const raw = encodeMessage([
      pb.msg(1, pb.str(1, 'd')),
      pb.msg(
        2,
        pb.int(1, 0),
        pb.msg(3, pb.msg(2, container, pb.int(4, 30), pb.entry(7, 'disk', { t: 'bytes', v: 'ssd' }), pb.msg(22, pb.str(1, 'k'), pb.str(2, 'Exists')), pb.int(11, false))),
        pb.msg(4, pb.str(1, 'RollingUpdate'), pb.msg(2, pb.msg(1, pb.int(1, 0), pb.int(2, 1)), pb.msg(2, pb.int(1, 1), pb.str(3, '25%')))),
        pb.int(6, 5),
      ),
    ]);
    const spec = decodeKubeProtobuf(encodeKubeEnvelope('apps/v1', 'Deployment', raw)).object.spec;
    assert.deepEqual(spec, {
      replicas: 0,
      template: {
        spec: {
          containers: [
            {
              name: 'c',
              image: 'img',
              env: [{ name: 'K', value: 'V' }],
              resources: { limits: { cpu: '500m' }, requests: { memory: '1Gi' } },
              volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }],
              imagePullPolicy: 'IfNotPresent',
            },
          ],
          terminationGracePeriodSeconds: 30,
          nodeSelector: { disk: 'ssd' },
          tolerations: [{ key: 'k', operator: 'Exists' }],
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '25%' } },
      revisionHistoryLimit: 5,
    });
  });

  test('strict: an unmodelled field with a value is Unsupported, naming where it was', () => {
    // PodSpec.volumes (field 1) is not modelled: dropping it would lose data.
    const volumes = encodeMessage([pb.msg(2, pb.msg(3, pb.msg(2, pb.msg(1, pb.str(1, 'v')))))]);
    assert.throws(
      () => decodeKubeProtobuf(encodeKubeEnvelope('apps/v1', 'Deployment', volumes)),
      (e: unknown) => unsupported(e) && /field 1 of spec\.template\.spec\b/.test((e as Error).message),
    );
    // A liveness probe on a container (Container field 10).
    const probe = encodeMessage([pb.msg(2, pb.msg(3, pb.msg(2, pb.msg(2, pb.str(1, 'c'), pb.msg(10, pb.int(4, 5))))))]);
    assert.throws(() => decodeKubeProtobuf(encodeKubeEnvelope('apps/v1', 'Deployment', probe)), unsupported);
    // Zero values of unmodelled fields are what Go writes for unset ones: accepted.
    const zeros = encodeMessage([pb.msg(2, pb.msg(3, pb.msg(2, pb.str(99, ''), pb.int(98, 0), pb.msg(14))))]);
    assert.deepEqual(decodeKubeProtobuf(encodeKubeEnvelope('apps/v1', 'Deployment', zeros)).object.spec, { template: { spec: {} } });
  });

  test('non-strict kinds still skip unknown fields', () => {
    const raw = encodeMessage([pb.msg(1, pb.str(1, 'r')), pb.str(42, 'future')]);
    assert.deepEqual(decodeKubeProtobuf(encodeKubeEnvelope(RBAC, 'Role', raw)).object, { apiVersion: RBAC, kind: 'Role', metadata: { name: 'r' } });
  });
});

test('fuzz: mutated kubectl bodies of the new kinds only ever throw ProtobufError', () => {
  let seed = 4242;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const seeds = [
    kubectlBody('create token x --duration=20m --audience=a1 --audience=a2'),
    kubectlBody('create clusterrolebinding crb --clusterrole=r --user=alice --group=g1 --serviceaccount=default:x'),
    kubectlBody('create clusterrole agg --aggregation-rule=a=b'),
    kubectlBody('create deployment d2 --image=busybox --replicas=3 --port=8080 -- sleep 3600'),
  ];
  const kinds: [string, string][] = [
    ['authentication.k8s.io/v1', 'TokenRequest'],
    [RBAC, 'ClusterRole'],
    [RBAC, 'RoleBinding'],
    ['apps/v1', 'Deployment'],
  ];
  for (let i = 0; i < 4000; i++) {
    let buf: Uint8Array;
    if (i % 2 === 0) {
      buf = Uint8Array.from(seeds[rnd(seeds.length)] ?? new Uint8Array());
      for (let j = 0; j < 1 + rnd(4); j++) buf[4 + rnd(buf.length - 4)] = rnd(256);
      buf = buf.subarray(0, 4 + rnd(buf.length - 3));
    } else {
      const [apiVersion, kind] = kinds[rnd(kinds.length)] ?? ['apps/v1', 'Deployment'];
      buf = encodeKubeEnvelope(apiVersion, kind, Uint8Array.from({ length: rnd(120) }, () => rnd(256)));
    }
    try {
      decodeKubeProtobuf(buf);
    } catch (e) {
      assert.ok(e instanceof ProtobufError, `${Buffer.from(buf).toString('hex')}: ${String(e)}`);
    }
  }
});
