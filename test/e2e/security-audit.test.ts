// The audit log (--audit-log-path): one audit.k8s.io/v1 Event per request at Metadata level,
// answering "who did what in which workspace" — for two tenants in two workspaces, an
// impersonating admin and a refused credential — with no token and no body in the file.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AuditEvent } from '../../apis/audit/v1/types.ts';
import { eventually } from '../framework/eventually.ts';
import { Kubectl } from '../framework/kubectl.ts';
import { ALICE_TOKEN, BOB_TOKEN, type SecurityEnv, startSecurityEnv } from './security-support.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MICRO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

describe('audit log', { timeout: 300_000 }, () => {
  let env: SecurityEnv;
  const dir = mkdtempSync(join(tmpdir(), 'kplane-audit-'));
  const path = join(dir, 'audit.log');
  let events: AuditEvent[] = [];
  let text = '';
  let probeID = '';

  before(async () => {
    env = await startSecurityEnv(['--audit-log-path', path]);
    const kubectl = new Kubectl(env.kp.kubeconfig);
    const k = async (cluster: string, args: string[]) => kubectl.ok([`--server=${env.kp.url}/clusters/${cluster}`, ...args]);
    await k('root:ws-a', ['--token', ALICE_TOKEN, 'create', 'configmap', 'audit-a', '-n', 'default', '--from-literal=secret-looking=value-a']);
    await k('root:ws-b', ['--token', BOB_TOKEN, 'get', 'secret', 's', '-n', 'default']);
    await k('root:ws-a', ['--as=alice', 'get', 'configmap', 'audit-a', '-n', 'default']);
    const bad = await env.alice.get('/clusters/root:ws-a/api/v1/namespaces/default/configmaps', { token: 'not-a-token-0123456789' });
    assert.equal(bad.status, 401);
    const probe = await env.alice.get('/clusters/root:ws-a/api/v1/namespaces/default/configmaps/audit-a?pretty=false');
    assert.equal(probe.status, 200);
    probeID = String(probe.headers['audit-id']);
    assert.match(probeID, UUID, 'the Audit-ID response header');
    // Writes are asynchronous: wait until the probe's event reached the file.
    await eventually(() => {
      text = readFileSync(path, 'utf8');
      return [text.includes(probeID), 'probe event not written yet'];
    }, { what: 'audit event of the probe request' });
    events = text.trim().split('\n').map((l) => JSON.parse(l) as AuditEvent);
  });
  after(async () => {
    await env?.[Symbol.asyncDispose]();
    rmSync(dir, { recursive: true, force: true });
  });

  test('one Metadata-level audit.k8s.io/v1 Event per line, in a 0600 file', () => {
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.ok(events.length > 5);
    for (const e of events) {
      assert.equal(e.kind, 'Event');
      assert.equal(e.apiVersion, 'audit.k8s.io/v1');
      assert.equal(e.level, 'Metadata');
      assert.equal(e.stage, 'ResponseComplete');
      assert.match(e.auditID, UUID);
      assert.match(e.requestReceivedTimestamp, MICRO_TIME);
      assert.match(e.stageTimestamp, MICRO_TIME);
      assert.equal(typeof e.responseStatus?.code, 'number');
      assert.equal(typeof e.annotations?.['kplane.io/cluster'], 'string');
      assert.ok(!('requestObject' in e) && !('responseObject' in e), 'no bodies at Metadata level');
    }
    assert.equal(new Set(events.map((e) => e.auditID)).size, events.length, 'audit IDs are unique');
  });

  test('tenant A created a ConfigMap in root:ws-a', () => {
    const e = events.find((x) => x.user.username === 'alice' && x.verb === 'create' && x.objectRef?.resource === 'configmaps');
    assert.ok(e, 'alice create configmaps');
    assert.deepEqual(e.objectRef, { resource: 'configmaps', namespace: 'default', apiVersion: 'v1' });
    assert.equal(e.annotations?.['kplane.io/cluster'], 'root:ws-a');
    assert.equal(e.responseStatus?.code, 201);
    assert.ok(e.user.groups?.includes('tenant-a'));
    assert.equal(e.user.uid, 'uid-alice');
    assert.match(e.userAgent ?? '', /^kubectl/);
    assert.deepEqual(e.sourceIPs, ['127.0.0.1']);
    assert.equal(e.impersonatedUser, undefined);
  });

  test('tenant B read a Secret in root:ws-b', () => {
    const e = events.find((x) => x.user.username === 'bob' && x.verb === 'get' && x.objectRef?.resource === 'secrets');
    assert.ok(e, 'bob get secrets');
    assert.deepEqual(e.objectRef, { resource: 'secrets', namespace: 'default', name: 's', apiVersion: 'v1' });
    assert.equal(e.annotations?.['kplane.io/cluster'], 'root:ws-b');
    assert.equal(e.responseStatus?.code, 200);
  });

  test('an impersonated request names the real and the impersonated user', () => {
    const e = events.find((x) => x.impersonatedUser?.username === 'alice' && x.verb === 'get' && x.objectRef?.name === 'audit-a');
    assert.ok(e, 'admin as alice');
    assert.equal(e.user.username, 'kplane-admin');
    assert.ok(e.user.groups?.includes('system:masters'));
    assert.deepEqual(e.impersonatedUser?.groups, ['system:authenticated']);
    assert.equal(e.annotations?.['kplane.io/cluster'], 'root:ws-a');
  });

  test('a refused credential is recorded without a user; the Audit-ID header matches the event', () => {
    const refused = events.find((x) => x.responseStatus?.code === 401);
    assert.ok(refused, 'the 401');
    assert.equal(refused.user.username, '');
    const probe = events.find((x) => x.auditID === probeID);
    assert.equal(probe?.requestURI, '/clusters/root:ws-a/api/v1/namespaces/default/configmaps/audit-a?pretty=false');
    assert.equal(probe?.user.username, 'alice');
  });

  test('no credential or body ever appears in the file', () => {
    for (const secret of [ALICE_TOKEN, BOB_TOKEN, env.kp.adminToken, 'not-a-token-0123456789', 'value-a']) {
      assert.ok(!text.includes(secret), `the audit log contains ${secret.slice(0, 6)}…`);
    }
    assert.doesNotMatch(text, /Bearer/i);
  });
});
