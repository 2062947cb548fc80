// The reconcile's signal reaches the physical cluster: a stalled apply, read or delete is cut
// off when it aborts, and the abort is reported as such (not as an unreachable cluster).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAborted } from '../../client/errors.ts';
import type { KubeObject } from '../../client/object.ts';
import { kubeconfigFor, stallingServer } from '../../client/testing-server.ts';
import { applySyncerManifests, deleteSyncerManifests, syncerDeploymentAvailable } from './deploy.ts';

const objects: KubeObject[] = [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 's', namespace: 'ns' } }];

const CALLS = {
  apply: (kc: string, signal: AbortSignal) => applySyncerManifests(kc, objects, { signal }),
  available: (kc: string, signal: AbortSignal) => syncerDeploymentAvailable(kc, objects, { signal }),
  delete: (kc: string, signal: AbortSignal) => deleteSyncerManifests(kc, objects, { signal }),
};

for (const [name, call] of Object.entries(CALLS)) {
  test(`${name}: a stalled physical cluster request is cut off by the signal`, { timeout: 60_000 }, async () => {
    const s = await stallingServer();
    try {
      const ac = new AbortController();
      const outcome = call(kubeconfigFor(s.url).exportConfig(), ac.signal).then(() => 'resolved', (e: unknown) => e);
      const req = await s.nextRequest();
      const closed = new Promise<void>((resolve) => req.socket.once('close', () => resolve()));
      ac.abort(new Error('reconcile timed out'));
      assert.ok(isAborted(await outcome));
      await closed;
    } finally {
      s.server.closeAllConnections();
      s.server.close();
    }
  });
}
