// The hostile clients of the soak (docs/security.md threat model), each bounded in count and
// in time — every loop stops at the soak's deadline or its own cap, whichever comes first:
//  - tricklers: a POST announcing a large body, then one byte per tick, anonymous or with a
//    token; when the server closes one, it reconnects (a capped number of times);
//  - stuck watchers: a watch whose response is never read (the socket is paused);
//  - many watches: ordinary reading watches (of a namespace with small changes), in batches;
//  - amplifying patches: a JSON patch of a few KB whose `copy` ops multiply a large value,
//    alternating with an oversized merge patch (4 MiB), plus big (but legal) updates that
//    the stuck watchers are sent and cannot read.
// Raw TLS sockets do not verify the server: an attacker would not bother either.
import { request } from 'node:https';
import { type TLSSocket, connect } from 'node:tls';
import type { SoakClient } from './client.ts';

export interface HostileEnv {
  host: string;
  port: number;
  /** Base URL of the workspace the hostile clients use, e.g. /clusters/root:soak-evil */
  cluster: string;
  token: string;
  deadline: number;
  /** Aborted when the soak ends: every client closes its sockets. */
  signal: AbortSignal;
}

export interface Tally {
  opened: number;
  /** Connections the server closed (or reset) before the soak ended. */
  closedByServer: number;
  /** Longest a single connection stayed open (ms). */
  longestMs: number;
  /** HTTP status codes seen, by code ("0" = transport error). */
  statuses: Record<string, number>;
}

export function newTally(): Tally {
  return { opened: 0, closedByServer: 0, longestMs: 0, statuses: {} };
}

function count(t: Tally, status: number | string): void {
  const k = String(status);
  t.statuses[k] = (t.statuses[k] ?? 0) + 1;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Open a raw TLS connection, send `head`, and resolve when it closes (or the soak ends). */
function rawConnection(env: HostileEnv, head: string, tally: Tally, onOpen: (s: TLSSocket) => void): Promise<void> {
  return new Promise((resolve) => {
    const started = Date.now();
    const sock = connect({ host: env.host, port: env.port, rejectUnauthorized: false, servername: 'localhost' });
    tally.opened++;
    let statusSeen = false;
    const end = () => {
      env.signal.removeEventListener('abort', end);
      sock.destroy();
    };
    env.signal.addEventListener('abort', end, { once: true });
    sock.on('secureConnect', () => {
      sock.write(head);
      onOpen(sock);
    });
    sock.on('data', (d: Buffer) => {
      if (statusSeen) return;
      statusSeen = true;
      count(tally, /^HTTP\/1\.1 (\d{3})/.exec(d.toString('latin1'))?.[1] ?? '?');
    });
    sock.on('error', () => {
      /* resets are expected: the server is allowed to hang up on us; 'close' follows */
    });
    sock.on('close', () => {
      env.signal.removeEventListener('abort', end);
      const lived = Date.now() - started;
      tally.longestMs = Math.max(tally.longestMs, lived);
      if (!env.signal.aborted) tally.closedByServer++;
      resolve();
    });
  });
}

/** One trickler: announce `bodyBytes`, send one byte per `tickMs`; reconnect at most `maxConnections` times. */
export async function trickler(env: HostileEnv, opts: { anonymous: boolean; bodyBytes: number; tickMs: number; maxConnections: number }, tally: Tally): Promise<void> {
  const auth = opts.anonymous ? '' : `Authorization: Bearer ${env.token}\r\n`;
  const head =
    `POST ${env.cluster}/api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: localhost\r\n${auth}` +
    `Content-Type: application/json\r\nContent-Length: ${opts.bodyBytes}\r\n\r\n{"a":"`;
  for (let i = 0; i < opts.maxConnections && Date.now() < env.deadline && !env.signal.aborted; i++) {
    await rawConnection(env, head, tally, (sock) => {
      let sent = 6;
      const timer = setInterval(() => {
        // Stop one byte short of the announced length: the body never completes.
        if (sent >= opts.bodyBytes - 1 || sock.destroyed) return clearInterval(timer);
        sock.write('x');
        sent++;
      }, opts.tickMs);
      sock.once('close', () => clearInterval(timer));
    });
    await sleep(200, env.signal); // do not spin if the server refuses connections outright
  }
}

/** A watcher that never reads: the response piles up in the server unless it applies backpressure. */
export function stuckWatcher(env: HostileEnv, tally: Tally): Promise<void> {
  const head =
    `GET ${env.cluster}/api/v1/namespaces/default/configmaps?watch=1 HTTP/1.1\r\nHost: localhost\r\n` +
    `Authorization: Bearer ${env.token}\r\nAccept: application/json\r\n\r\n`;
  return rawConnection(env, head, tally, (sock) => {
    // Read the status line only, then stop reading for good.
    sock.once('data', () => sock.pause());
  });
}

/**
 * Namespace of the many reading watches: they see a small ConfigMap change per patch round,
 * not the big objects (1,000 copies of each would measure the network, not the server).
 */
export const WATCHED_NAMESPACE = 'soak-watch';

/** `n` reading watches, opened in batches; each one that ends early is reopened at most twice. */
export async function manyWatches(env: HostileEnv, ca: string | undefined, n: number, tally: Tally, events: { bytes: number }): Promise<void> {
  const timeoutSeconds = Math.max(1, Math.ceil((env.deadline - Date.now()) / 1000));
  const one = async (): Promise<void> => {
    for (let attempt = 0; attempt < 3 && Date.now() < env.deadline && !env.signal.aborted; attempt++) {
      tally.opened++;
      const started = Date.now();
      await new Promise<void>((resolve) => {
        const req = request(
          {
            host: env.host,
            port: env.port,
            path: `${env.cluster}/api/v1/namespaces/${WATCHED_NAMESPACE}/configmaps?watch=1&timeoutSeconds=${timeoutSeconds}`,
            headers: { Authorization: `Bearer ${env.token}`, Accept: 'application/json' },
            agent: false,
            ...(ca ? { ca } : { rejectUnauthorized: false }),
            signal: env.signal,
          },
          (res) => {
            count(tally, res.statusCode ?? 0);
            res.on('data', (c: Buffer) => (events.bytes += c.length));
            res.on('end', resolve);
            res.on('error', () => resolve());
          },
        );
        req.on('error', () => resolve()); // includes the abort at the end of the soak
        req.on('close', resolve);
        req.end();
      });
      tally.longestMs = Math.max(tally.longestMs, Date.now() - started);
      if (!env.signal.aborted && Date.now() < env.deadline) tally.closedByServer++;
      await sleep(500, env.signal);
    }
  };
  const all: Promise<void>[] = [];
  for (let i = 0; i < n && !env.signal.aborted && Date.now() < env.deadline; i++) {
    all.push(one());
    if (i % 50 === 49) await sleep(100, env.signal); // batches: a flood of handshakes is another test
  }
  await Promise.all(all);
}

export interface PatchPlan {
  /** Size of the value `copy` duplicates (KiB). */
  valueKiB: number;
  /** copy operations per amplifying patch. */
  copies: number;
  /** Amplifying + oversized patch pairs, at most. */
  rounds: number;
  /** Big (legal-size) updates that the stuck watchers are sent, at most. */
  bigUpdates: number;
  bigKiB: number;
}

/**
 * Amplifying and oversized patches against one ConfigMap, interleaved with big updates of
 * another; all in the hostile workspace, so the stuck watchers see every stored change.
 */
export async function patcher(env: HostileEnv, client: SoakClient, plan: PatchPlan, amplify: Tally, big: Tally): Promise<void> {
  const base = `${env.cluster}/api/v1/namespaces/default/configmaps`;
  const token = env.token;
  const value = 'v'.repeat(plan.valueKiB * 1024);
  const bigValue = (i: number) => String(i % 10).repeat(plan.bigKiB * 1024);
  const setUp = [
    client.call(base, { method: 'POST', token, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'amplify' }, data: { seed: value } }) }),
    client.call(base, { method: 'POST', token, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { v: bigValue(0) } }) }),
  ];
  for (const r of await Promise.all(setUp)) count(amplify, `setup ${r.status}`);
  // Each round copies the seed `copies` times under fresh keys, first removing the previous
  // round's copies if they were stored: every round is a real write of about
  // copies × valueKiB, but the object does not grow without bound on a server that lacks a
  // size cap (this runs on shared machines).
  let stored = -1;
  const copies = (round: number) => [
    ...(stored >= 0 ? Array.from({ length: plan.copies }, (_, i) => ({ op: 'remove', path: `/data/r${stored}c${i}` })) : []),
    ...Array.from({ length: plan.copies }, (_, i) => ({ op: 'copy', from: '/data/seed', path: `/data/r${round}c${i}` })),
  ];
  const tick = (i: number) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tick' }, data: { i: String(i) } });
  await client.call(`${env.cluster}/api/v1/namespaces/${WATCHED_NAMESPACE}/configmaps`, { method: 'POST', token, body: JSON.stringify(tick(0)) });
  const oversized = JSON.stringify({ data: { huge: 'h'.repeat(4 * 1024 * 1024) } });
  const total = Math.max(plan.rounds, plan.bigUpdates);
  const spacing = Math.max(50, (env.deadline - Date.now()) / Math.max(1, total));
  // longestMs of these tallies is the slowest request.
  const timed = (t: Tally, p: Promise<{ status: number }>, label = '') => {
    const t0 = Date.now();
    return p.then((r) => {
      t.opened++;
      t.longestMs = Math.max(t.longestMs, Date.now() - t0);
      count(t, `${label}${r.status}`);
      return r;
    });
  };
  for (let i = 0; i < total && Date.now() < env.deadline && !env.signal.aborted; i++) {
    const jobs: Promise<unknown>[] = [];
    if (i < plan.rounds) {
      jobs.push(
        timed(amplify, client.call(`${base}/amplify`, { method: 'PATCH', token, contentType: 'application/json-patch+json', body: JSON.stringify(copies(i)), timeoutMs: 60_000 })).then((r) => {
          if (r.status === 200) stored = i;
        }),
        timed(amplify, client.call(`${base}/amplify`, { method: 'PATCH', token, contentType: 'application/merge-patch+json', body: oversized, timeoutMs: 60_000 }), 'oversized '),
      );
    }
    if (i < plan.bigUpdates) {
      jobs.push(
        timed(big, client.call(`${base}/big`, { method: 'PATCH', token, contentType: 'application/merge-patch+json', body: JSON.stringify({ data: { v: bigValue(i + 1) } }), timeoutMs: 60_000 })),
      );
    }
    // A small change the many watches see (they watch WATCHED_NAMESPACE only).
    jobs.push(client.call(`${env.cluster}/api/v1/namespaces/${WATCHED_NAMESPACE}/configmaps/tick`, { method: 'PUT', token, body: JSON.stringify(tick(i + 1)) }));
    await Promise.all(jobs);
    await sleep(spacing, env.signal);
  }
}
