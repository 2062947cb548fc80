// A Placement may use another workspace's Locations only while the user who created it may
// list Locations there (kcp's rule). The creator is recorded by the server — a forged value is
// replaced — and checked by the controller through an impersonated access review; granting and
// revoking the user's access in the Location workspace binds and unbinds the Placement.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../framework/eventually.ts';
import { clusterRoleBinding, mustStatus, RBAC, SLOW, startSecurityEnv } from './security-support.ts';

const PLACEMENTS = '/apis/scheduling.kcp.io/v1alpha1/placements';
const CREATOR = 'internal.scheduling.kcp.io/creator';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API JSON
type Obj = any;
const ready = (p: Obj) => (p?.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready');

test('placement: Locations of another workspace need the creator\'s access there', { timeout: 300_000 }, async () => {
  await using env = await startSecurityEnv();
  const { admin, alice } = env;
  // The seeded SyncTarget in root:ws-b gets Location `default` there.
  await eventually(async () => {
    const r = await admin.do('/clusters/root:ws-b/apis/scheduling.kcp.io/v1alpha1/locations/default');
    return [r.status === 200, `${r.status}`];
  }, { ...SLOW, what: 'Location default in root:ws-b' });

  const body = {
    apiVersion: 'scheduling.kcp.io/v1alpha1', kind: 'Placement',
    metadata: { name: 'remote', annotations: { [CREATOR]: JSON.stringify({ username: 'admin', groups: ['system:masters'] }) } },
    spec: {
      locationResource: { group: 'workload.kcp.io', version: 'v1alpha1', resource: 'synctargets' },
      locationSelectors: [{}],
      namespaceSelector: { matchLabels: { app: 'none' } },
      locationWorkspace: 'root:ws-b',
    },
  };
  const created = await alice.do(`/clusters/root:ws-a${PLACEMENTS}`, { method: 'POST', body });
  assert.equal(created.status, 201, created.text);
  assert.equal(JSON.parse(created.json.metadata.annotations[CREATOR]).username, 'alice', 'the forged creator is replaced');
  const get = async (): Promise<Obj> => (await admin.do(`/clusters/root:ws-a${PLACEMENTS}/remote`)).json;

  await eventually(async () => {
    const p = await get();
    const errs = env.kp.logs.filter((l) => JSON.stringify(l).includes('scheduling-placement')).slice(-3);
    return [ready(p)?.reason === 'LocationWorkspaceForbidden' && p.status.phase === 'Pending', JSON.stringify(p.status) + JSON.stringify(errs)];
  }, { ...SLOW, what: 'LocationWorkspaceForbidden while alice has no access to root:ws-b' });
  assert.match(ready(await get()).message, /"alice".*root:ws-b/);

  // A client cannot change the recorded creator afterwards either.
  const patched = await alice.do(`/clusters/root:ws-a${PLACEMENTS}/remote`, {
    method: 'PATCH', contentType: 'application/merge-patch+json', body: { metadata: { annotations: { [CREATOR]: JSON.stringify({ username: 'bob', groups: [] }) } } },
  });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(JSON.parse(patched.json.metadata.annotations[CREATOR]).username, 'alice');

  await mustStatus(admin.do(`/clusters/root:ws-b/apis/${RBAC}/v1/clusterrolebindings`, { method: 'POST', body: clusterRoleBinding('alice-view', 'view', [{ kind: 'User', apiGroup: RBAC, name: 'alice' }]) }), 201, 'grant alice view in ws-b');
  await eventually(async () => {
    const p = await get();
    return [ready(p)?.status === 'True' && p.status.phase === 'Unbound', JSON.stringify(p.status)];
  }, { ...SLOW, what: 'the Placement to select a Location of root:ws-b once alice may list them' });
  assert.deepEqual((await get()).status.selectedLocation, { path: 'root:ws-b', locationName: 'default' });

  await mustStatus(admin.do(`/clusters/root:ws-b/apis/${RBAC}/v1/clusterrolebindings/alice-view`, { method: 'DELETE' }), 200, 'revoke');
  await eventually(async () => {
    const p = await get();
    return [ready(p)?.reason === 'LocationWorkspaceForbidden' && p.status.phase === 'Pending' && p.status.selectedLocation === undefined, JSON.stringify(p.status)];
  }, { ...SLOW, what: 'the Placement to lose the Location when access is revoked' });
});
