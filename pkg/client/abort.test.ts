// Aborts reach the wire: every verb, given a signal (per call or bound with withSignal), rejects
// with RequestAbortedError as soon as the signal fires while the server stalls, and the server
// sees the connection go away (the request is cut off, not left to finish later).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterClient } from './clusterclient.ts';
import { isAborted, RequestAbortedError } from './errors.ts';
import { ConfigMapGVR } from './gvr.ts';
import type { KubeObject } from './object.ts';
import { clientFor, stallingServer } from './testing-server.ts';

const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns' } };

type Call = (c: ClusterClient, signal?: AbortSignal) => Promise<unknown>;
const VERBS: Record<string, Call> = {
  get: (c, signal) => c.cluster('root').resource(ConfigMapGVR, 'ns').get('a', signal ? { signal } : {}),
  list: (c, signal) => c.cluster('root').resource(ConfigMapGVR, 'ns').list(signal ? { signal } : {}),
  listAll: (c, signal) => c.cluster('root').resource(ConfigMapGVR, 'ns').listAll(signal ? { signal } : {}),
  create: (c, signal) => c.cluster('root').resource(ConfigMapGVR, 'ns').create(cm, signal ? { signal } : {}),
  update: (c, signal) => c.cluster('root').resource(ConfigMapGVR, 'ns').update(cm, signal ? { signal } : {}),
  updateStatus: (c, signal) => c.cluster('root').resource(ConfigMapGVR, 'ns').updateStatus(cm, signal ? { signal } : {}),
  patch: (c, signal) => c.cluster('root').resource(ConfigMapGVR, 'ns').patch('a', 'merge', {}, signal ? { signal } : {}),
  apply: (c, signal) => c.cluster('root').resource(ConfigMapGVR, 'ns').apply(cm, signal ? { signal } : {}),
  delete: (c, signal) => c.cluster('root').resource(ConfigMapGVR, 'ns').delete('a', signal ? { signal } : {}),
  createToken: (c, signal) => c.cluster('root').createToken('ns', 'sa', 3600, signal ? { signal } : {}),
  watch: async (c, signal) => {
    // A watch stream opened and then aborted ends; it must not hang.
    for await (const _ev of c.cluster('root').resource(ConfigMapGVR, 'ns').watch(signal ? { signal } : {})) void _ev;
    throw new RequestAbortedError('watch', signal?.reason);
  },
};

for (const [verb, call] of Object.entries(VERBS)) {
  for (const how of ['per call', 'withSignal'] as const) {
    test(`${verb} (${how}): a stalled request is cut off when the signal aborts`, { timeout: 60_000 }, async () => {
      const s = await stallingServer();
      const client = clientFor(s.url);
      try {
        const ac = new AbortController();
        const pending = how === 'per call' ? call(client, ac.signal) : call(client.withSignal(ac.signal));
        const outcome = pending.then(() => 'resolved', (err: unknown) => err);
        const req = await s.nextRequest();
        const closed = new Promise<void>((resolve) => req.socket.once('close', () => resolve()));
        const reason = new Error('lost the lease');
        ac.abort(reason);
        const err = await outcome;
        assert.ok(isAborted(err), `rejects with RequestAbortedError, got ${String(err)}`);
        if (verb !== 'watch') assert.equal((err as Error).cause, reason, 'the cause is the signal reason');
        await closed; // the server sees the request go away
      } finally {
        client.close();
        s.server.closeAllConnections();
        s.server.close();
      }
    });
  }
}

test('an already-aborted signal sends nothing', { timeout: 60_000 }, async () => {
  const s = await stallingServer();
  const client = clientFor(s.url);
  let received = 0;
  s.server.on('request', () => received++);
  try {
    const ac = new AbortController();
    ac.abort(new Error('shutting down'));
    await assert.rejects(client.withSignal(ac.signal).cluster('root').resource(ConfigMapGVR, 'ns').create(cm), (e: unknown) => isAborted(e));
    // A request that did get through would be seen by this follow-up ordering barrier first.
    const barrier = new AbortController();
    const follow = client.cluster('root').resource(ConfigMapGVR, 'ns').get('b', { signal: barrier.signal }).catch((e: unknown) => e);
    const req = await s.nextRequest();
    assert.equal(req.method, 'GET');
    assert.equal(received, 1, 'only the follow-up request reached the server');
    barrier.abort();
    await follow;
  } finally {
    client.close();
    s.server.closeAllConnections();
    s.server.close();
  }
});
