// Fuzz-style robustness: thousands of seeded random malformed requests — bodies, paths,
// headers, selectors, query parameters, credentials — against a real kplane. Every answer
// must be a 4xx metav1.Status whose code matches the HTTP status, the server must stay up,
// and nothing may be stored (the storage revision does not move). Controllers are off so
// that only these requests could write. Seed with FUZZ_SEED to replay a failure.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestClient } from '../../framework/http.ts';
import { type Kplane, startKplane } from '../../framework/kplane.ts';
import { encodeVarintFor, mulberry32 } from './random.ts';
import { rawRequest } from './raw.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 3000);
const WORKERS = 6;

const COLLECTIONS = [
  '/api/v1/namespaces/default/configmaps',
  '/api/v1/namespaces/default/secrets',
  '/api/v1/namespaces/default/serviceaccounts',
  '/api/v1/namespaces',
  '/apis/workload.kcp.io/v1alpha1/synctargets',
  '/apis/tenancy.kcp.io/v1alpha1/workspaces',
  '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
  '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles',
  '/apis/coordination.k8s.io/v1/namespaces/default/leases',
];
const KINDS: Record<string, [string, string]> = {
  configmaps: ['v1', 'ConfigMap'],
  secrets: ['v1', 'Secret'],
  serviceaccounts: ['v1', 'ServiceAccount'],
  namespaces: ['v1', 'Namespace'],
  synctargets: ['workload.kcp.io/v1alpha1', 'SyncTarget'],
  workspaces: ['tenancy.kcp.io/v1alpha1', 'Workspace'],
  clusterrolebindings: ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
  roles: ['rbac.authorization.k8s.io/v1', 'Role'],
  leases: ['coordination.k8s.io/v1', 'Lease'],
};

interface FuzzRequest {
  what: string;
  path: string;
  method: string;
  body?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  token?: string | null;
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, n: number) => Math.floor(r() * n);

function junk(r: Rand, n = 1 + int(r, 40)): string {
  const alphabet = 'abcXYZ019-_.:/\\%{}[]",=!()~ \t\u00e9\u2603\u0000';
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[int(r, alphabet.length)];
  return s;
}

function kindOf(collection: string): [string, string] {
  return KINDS[collection.split('/').pop()!]!;
}

/** Each generator produces a request that no correct server could accept. */
const GENERATORS: ((r: Rand, ctx: { alice: string }) => FuzzRequest)[] = [
  // Paths: invalid logical cluster names.
  (r) => ({ what: 'bad cluster', method: pick(r, ['GET', 'POST', 'DELETE']), path: `/clusters/${pick(r, ['Root', 'root::a', 'root:-a', 'ROOT', 'a_b', 'root:' + 'x'.repeat(70)])}/api/v1/namespaces` }),
  // Paths: resources that do not exist / too many segments.
  (r) => ({ what: 'unknown resource', method: pick(r, ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']), path: `/clusters/root/apis/zz${int(r, 1e6)}.example/v1/things${pick(r, ['', '/x', '/x/status'])}` }),
  (r) => ({ what: 'extra segments', method: 'GET', path: `/clusters/root/api/v1/namespaces/default/configmaps/a/b/c/${int(r, 100)}` }),
  (r) => ({ what: 'unknown subresource', method: pick(r, ['GET', 'PUT', 'PATCH']), path: `/clusters/root/api/v1/namespaces/default/configmaps/x/${pick(r, ['scale', 'exec', 'proxy', 'log'])}`, body: '{}' }),
  (r) => ({ what: 'bad percent-encoding', method: 'GET', path: `/clusters/root/api/v1/namespaces/%${pick(r, ['zz', 'E0%80', 'G1'])}/configmaps` }),
  (r) => ({ what: 'wildcard write', method: pick(r, ['POST', 'PUT', 'PATCH', 'DELETE']), path: `/clusters/*/api/v1/namespaces/default/configmaps${pick(r, ['', '/x'])}`, body: '{}' }),
  (r) => ({ what: 'bad method', method: pick(r, ['OPTIONS', 'TRACE']), path: `/clusters/root${pick(r, COLLECTIONS)}` }),
  // Bodies: not JSON, not an object, too deep, too big, wrong kind or version, invalid names.
  (r) => ({ what: 'invalid JSON', method: 'POST', path: `/clusters/root${pick(r, COLLECTIONS)}`, body: pick(r, ['{', '{"a":', '[1,2', 'nul', '{"metadata":{"name":"x"}']) + junk(r, int(r, 5)) }),
  (r) => ({ what: 'random bytes', method: pick(r, ['POST', 'PUT']), path: `/clusters/root${pick(r, COLLECTIONS)}${pick(r, ['', '/x'])}`, body: Buffer.from(Array.from({ length: 1 + int(r, 200) }, () => int(r, 256))), contentType: pick(r, ['application/json', 'application/vnd.kubernetes.protobuf', 'application/yaml']) }),
  (r) => ({ what: 'non-object JSON', method: 'POST', path: `/clusters/root${pick(r, COLLECTIONS)}`, body: pick(r, ['[]', '"x"', '42', 'null', 'true', '[{"kind":"ConfigMap"}]']) }),
  (r) => ({ what: 'too deep', method: 'POST', path: `/clusters/root${pick(r, COLLECTIONS)}`, body: '['.repeat(600 + int(r, 2000)) + ']'.repeat(10) }),
  (r) => {
    const c = pick(r, COLLECTIONS);
    const [apiVersion, kind] = kindOf(c);
    // Built-in types take a missing apiVersion or kind from the URL (as kube-apiserver does);
    // custom resources must name both. A contradicting one is wrong for every type.
    const custom = c.includes('.kcp.io/');
    const variants = [
      custom ? { apiVersion, metadata: { name: 'x' } } : { apiVersion: 'v2', metadata: { name: 'x' } },
      custom ? { kind, metadata: { name: 'x' } } : { kind: 'Pod', metadata: { name: 'x' } },
      { apiVersion: 'bogus/v9', kind, metadata: { name: 'x' } },
      { apiVersion, kind: 'NotAKind', metadata: { name: 'x' } },
      // RBAC names only need to be path segments (kube's ValidatePathSegmentName); others DNS names.
      { apiVersion, kind, metadata: { name: c.includes('rbac') ? pick(r, ['', '..', '.', 'a/b', 'x%y']) : pick(r, ['UPPER', 'has_underscore', '-lead', 'trail-', '', 'a'.repeat(300), 'dots..dots', 'sp ace']) } },
      { apiVersion, kind, metadata: 'not-an-object' },
      { apiVersion, kind, metadata: { name: 'x', namespace: 'other-ns' } },
    ];
    return { what: 'bad object', method: 'POST', path: `/clusters/root${c}`, body: JSON.stringify(pick(r, c.endsWith('namespaces') ? variants.slice(0, 6) : variants)) };
  },
  (r) => ({ what: 'bad protobuf', method: 'POST', path: `/clusters/root${pick(r, COLLECTIONS)}`, contentType: 'application/vnd.kubernetes.protobuf', body: Buffer.concat([Buffer.from(pick(r, ['k8s\0', 'k8s', 'xxxx', ''])), encodeVarintFor(r)]) }),
  (r) => ({ what: 'bad yaml', method: 'POST', path: `/clusters/root${pick(r, COLLECTIONS)}`, contentType: 'application/yaml', body: pick(r, ['a: [', 'a: &x\n  b: *y', '---\na: 1\n---\nb: 2', ': :', 'kind: ConfigMap\n  bad indent: [']) }),
  (r) => ({ what: 'too large', method: 'POST', path: `/clusters/root${pick(r, COLLECTIONS)}`, body: '{"a":"' + 'x'.repeat(3 * 1024 * 1024 + int(r, 1000)) + '"}' }),
  // Headers: unsupported content types, bad patch types.
  (r) => ({ what: 'bad content type', method: pick(r, ['POST', 'PUT']), path: `/clusters/root${pick(r, COLLECTIONS)}${pick(r, ['', '/x'])}`, contentType: pick(r, ['text/plain', 'application/xml', 'image/png', 'application/x-www-form-urlencoded', junk(r, 8).replace(/[^\x21-\x7e]/g, 'q') + '/x']), body: '{}' }),
  (r) => ({ what: 'bad patch', method: 'PATCH', path: `/clusters/root${pick(r, COLLECTIONS)}/does-not-exist-${int(r, 1e6)}`, contentType: pick(r, ['application/merge-patch+json', 'application/json-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml', 'text/plain']), body: pick(r, ['{', '[{"op":"explode"}]', 'not json', '[]', '{"metadata":{"name":"other"}}']) }),
  (r) => ({ what: 'json-patch on missing object', method: 'PATCH', path: `/clusters/root${pick(r, COLLECTIONS)}/missing-${int(r, 1e6)}`, contentType: 'application/json-patch+json', body: '[{"op":"replace","path":"/data/a","value":"b"}]' }),
  (r) => ({ what: 'PUT name mismatch', method: 'PUT', path: `/clusters/root/api/v1/namespaces/default/configmaps/a${int(r, 1000)}`, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } }) }),
  // Selectors and query parameters.
  (r) => ({ what: 'bad label selector', method: 'GET', path: `/clusters/root${pick(r, COLLECTIONS)}?labelSelector=${encodeURIComponent(pick(r, ['a in (', 'a notin', '!!a', 'a=b=c', 'a,,', '(x)', '=v']) + junk(r, int(r, 3)).replace(/[,=!()\s]/g, ''))}` }),
  (r) => ({ what: 'bad field selector', method: 'GET', path: `/clusters/root${pick(r, COLLECTIONS)}?fieldSelector=${encodeURIComponent(pick(r, ['spec.nothing=x', 'metadata.foo=bar', 'a', 'status.phase>1', `zz${int(r, 1e6)}=1`]))}` }),
  (r) => ({ what: 'bad query', method: 'GET', path: `/clusters/root${pick(r, COLLECTIONS)}?${pick(r, ['limit=-1', 'limit=abc', 'timeoutSeconds=-5&watch=1', 'timeoutSeconds=x&watch=1', 'continue=%%%bad', 'continue=' + junk(r, 12).replace(/[^a-z]/gi, 'a'), 'watch=1&resourceVersion=notanumber'])}` }),
  (r) => ({ what: 'bad write query', method: 'POST', path: `/clusters/root${pick(r, COLLECTIONS)}?${pick(r, ['dryRun=Bogus', 'fieldValidation=Bogus'])}`, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `fv${int(r, 1000)}` } }) }),
  // Credentials: none, garbage, wrong scheme, a tenant outside its workspace.
  (r) => ({ what: 'no token', method: pick(r, ['GET', 'POST', 'DELETE']), path: `/clusters/root${pick(r, COLLECTIONS)}`, token: null, body: '{}' }),
  (r) => ({ what: 'garbage token', method: 'GET', path: `/clusters/root${pick(r, COLLECTIONS)}`, token: pick(r, ['x', 'eyJ.eyJ.x', 'eyJhbGciOiJub25lIn0.eyJleHAiOjk5OTk5OTk5OTl9.', junk(r, 30).replace(/[^A-Za-z0-9._-]/g, 'a')]) }),
  (r) => ({ what: 'bad scheme', method: 'GET', path: `/clusters/root${pick(r, COLLECTIONS)}`, token: null, headers: { Authorization: pick(r, ['Basic YTpi', 'Bearer', 'Bearer a b', 'Digest x', 'bearer']) } }),
  // The syncer view: malformed roots, SyncTargets that do not exist, every verb, any caller.
  (r, ctx) => {
    const seg = () => encodeURIComponent(junk(r, 1 + int(r, 8)).replace(/[./\\]/g, 'x'));
    const ws = pick(r, ['root', 'root:team', 'Root', 'root::a', '', seg()]);
    const name = pick(r, ['edge-1', 'EDGE', 'a_b', '', seg()]);
    const uid = pick(r, ['0b5d6c1e-2f3a-4b5c-8d9e-0123456789ab', '', '%zz', 'a'.repeat(200), seg()]);
    const rest = pick(r, ['', '/', '/healthz', '/version', '/clusters/*/api/v1/configmaps', '/clusters/root/api/v1/namespaces/default/secrets/x', '/clusters/Root/api', '/api/v1/namespaces', '/clusters/root/apis/apps/v1/namespaces/default/deployments/d/scale']);
    return { what: 'syncer view', method: pick(r, ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']), path: `/services/syncer/${ws}/${name}/${uid}${rest}`, token: pick(r, [ctx.alice, kpAdminToken(), null]), body: '{}', contentType: 'application/merge-patch+json' };
  },
  (r, ctx) => ({ what: 'tenant in root', method: pick(r, ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']), path: `/clusters/root${pick(r, COLLECTIONS)}${pick(r, ['', '/x'])}`, token: ctx.alice, body: '{}', contentType: 'application/merge-patch+json' }),
];

let kp: Kplane;
let admin: TestClient;
/** The admin token once kplane runs (generators are called after `before`). */
const kpAdminToken = (): string => kp.adminToken;
const ALICE = 'fuzz-alice-token-0123456789';

before(async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'kplane-fuzz-tokens-'));
  writeFileSync(join(dir, 'tokens.csv'), `${ALICE},alice,uid-alice,"tenant-a"\n`);
  kp = await startKplane({ args: ['--controllers', '-', '--token-auth-file', join(dir, 'tokens.csv')] });
  admin = new TestClient(kp.url, kp.caPem, kp.adminToken);
});
after(async () => {
  await kp?.[Symbol.asyncDispose]();
});

async function revision(): Promise<string> {
  const r = await admin.do('/clusters/root/api/v1/namespaces');
  assert.equal(r.status, 200);
  return r.json.metadata.resourceVersion;
}

/** Byte-level HTTP that Node's client would never send. */
function rawPayload(r: Rand, token: string): string {
  const auth = `Authorization: Bearer ${token}\r\n`;
  const c = `/clusters/root${pick(r, COLLECTIONS)}`;
  return pick(r, [
    () => `${junk(r, 20).replace(/[\r\n]/g, '')}\r\n\r\n`,
    () => `GET ${c} HTTP/1.1\r\nHost: x\r\n${auth}Header Without Colon\r\n\r\n`,
    () => `GET ${c} HTTP/1.1\r\nHost: x\r\n${auth}X-Bad\u0001: y\r\n\r\n`,
    () => `GET ${c} HTTP/1.1\r\nHost: x\r\n${auth}X-Big: ${'a'.repeat(20_000 + int(r, 10_000))}\r\n\r\n`,
    () => `POST ${c} HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: ${pick(r, ['-1', 'abc', '1, 2'])}\r\n\r\n{}`,
    () => `POST ${c} HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}`,
    () => `POST ${c} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${pick(r, ['zz', '-5', 'fffffffffffffffff'])}\r\n{}\r\n0\r\n\r\n`,
    () => `GET ${c} HTTP/${pick(r, ['9.9', '1.x', '0'])}\r\nHost: x\r\n\r\n`,
  ])();
}

describe('fuzz: malformed requests', () => {
  test('raw malformed HTTP gets a 4xx Status too', async () => {
    const before = await revision();
    const r = mulberry32(SEED + 1);
    const failures: string[] = [];
    for (let i = 0; i < 300; i++) {
      const payload = rawPayload(r, kp.adminToken);
      const res = await rawRequest(kp.url, kp.caPem, payload);
      const ok = res.status >= 400 && res.status < 500 && res.json?.kind === 'Status' && res.json?.code === res.status;
      if (!ok && failures.length < 10) failures.push(`${JSON.stringify(payload.slice(0, 120))} → ${res.text.slice(0, 200)}`);
    }
    assert.deepEqual(failures, []);
    assert.equal((await admin.do('/readyz')).status, 200);
    assert.equal(await revision(), before, 'nothing was stored');
  });

  test(`${REQUESTS} random malformed requests (seed ${SEED}) all get a 4xx Status and store nothing`, async () => {
    const before = await revision();
    const r = mulberry32(SEED);
    const requests = Array.from({ length: REQUESTS }, () => pick(r, GENERATORS)(r, { alice: ALICE }));
    const failures: string[] = [];
    const seen = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const req = requests[next++]!;
        let res;
        try {
          res = await admin.do(req.path, {
            method: req.method,
            ...(req.body !== undefined ? { body: req.body } : {}),
            ...(req.contentType ? { contentType: req.contentType } : {}),
            // Content-Length always (Node's client sends a GET/DELETE body unframed
            // otherwise) and one connection per request, so requests cannot bleed into
            // each other: each answer belongs to exactly one malformed request.
            headers: { Connection: 'close', ...(req.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(req.body)) } : {}), ...req.headers },
            ...(req.token !== undefined ? { token: req.token } : {}),
          });
        } catch (err) {
          // Refusing an oversized body, the server answers 413 and closes while the client is
          // still writing; the client may then see the hang-up instead of the answer.
          if (req.what === 'too large' && /EPIPE|ECONNRESET|socket hang up/.test((err as Error).message)) continue;
          failures.push(`${req.what} ${req.method} ${req.path.slice(0, 120)}: transport error ${(err as Error).message}`);
          continue;
        }
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        const ok = res.status >= 400 && res.status < 500 && res.json?.kind === 'Status' && res.json?.status === 'Failure' && res.json?.code === res.status;
        if (!ok && failures.length < 20) failures.push(`${req.what} ${req.method} ${req.path.slice(0, 120)} → ${res.status} ${res.text.slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    assert.deepEqual(failures, [], `status histogram ${JSON.stringify([...seen])}`);
    assert.equal((await admin.do('/readyz')).status, 200, 'server is still up');
    assert.equal(await revision(), before, 'nothing was stored');
    assert.equal(kp.process.exitCode, null);
    // Every generator family answered with more than one kind of 4xx across the run.
    assert.ok(seen.size >= 5, JSON.stringify([...seen]));
  });
});
