// The controller manager's term: when run()'s signal fires (shutdown, or a lost lease), the
// API calls it has in flight are cut off — the server sees them go away — and run() returns.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kubeconfigFor, stallingServer } from '../client/testing-server.ts';
import { silentLogger } from '../log/logger.ts';
import { ControllerManager } from './manager.ts';

test('ending the term aborts the requests in flight and refuses new ones', { timeout: 60_000 }, async () => {
  const s = await stallingServer();
  try {
    const manager = new ControllerManager({
      kubeconfig: kubeconfigFor(s.url),
      logger: silentLogger(),
      heartbeatThresholdMs: 60_000,
      kplaneURL: s.url,
      caPem: '',
      syncerImage: 'test',
      controllers: '*',
    });
    const term = new AbortController();
    const running = manager.run(term.signal);
    // The informers' first lists reach the (stalled) server.
    const req = await s.nextRequest();
    assert.match(req.url ?? '', /^\/clusters\/\*\//);
    const closed = new Promise<void>((resolve) => req.socket.once('close', () => resolve()));
    term.abort(new Error('lost the lease'));
    await closed;
    await running;
    // Anything attempted on behalf of the ended term is refused without reaching the server.
    await assert.rejects(manager.clusterClient.cluster('root').syncTargets().patchStatus('x', 'merge', {}), { name: 'AbortError' });
  } finally {
    s.server.closeAllConnections();
    s.server.close();
  }
});
