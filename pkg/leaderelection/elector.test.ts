import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FakeClock, settle } from '../clock/fake.ts';
import { LeaderElector } from './elector.ts';
import { FakeLeaseLock, LeaseStore } from './testing-fakes.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');

/** A candidate with its own lock view, recording when it starts and stops leading. */
function candidate(name: string, store: LeaseStore, clock: FakeClock) {
  const lock = new FakeLeaseLock(store);
  const elector = new LeaderElector({ lock, identity: name, clock, random: () => 0 });
  const stop = new AbortController();
  const log: { event: 'start' | 'stop' | 'aborted'; at: number }[] = [];
  let terms = 0;
  const done = elector.run(stop.signal, {
    onStartedLeading: (signal) => {
      terms++;
      log.push({ event: 'start', at: clock.now() });
      return new Promise<void>((resolve) =>
        signal.addEventListener('abort', () => {
          log.push({ event: 'aborted', at: clock.now() });
          resolve();
        }),
      );
    },
    onStoppedLeading: () => log.push({ event: 'stop', at: clock.now() }),
  });
  return { name, lock, elector, stop, log, done, terms: () => terms };
}

describe('LeaderElector', () => {
  test('a lone candidate creates the Lease at once and renews it every retry period', async () => {
    const clock = new FakeClock(T0);
    const store = new LeaseStore();
    const a = candidate('a', store, clock);
    await settle();
    assert.equal(a.elector.isLeader(), true);
    assert.equal(store.lease?.spec?.holderIdentity, 'a');
    assert.equal(store.lease?.spec?.leaseDurationSeconds, 15);
    assert.equal(store.lease?.spec?.leaseTransitions, 0);
    const acquired = store.lease?.spec?.acquireTime;
    await clock.advance(2000);
    assert.equal(store.writes, 2, 'one renewal after 2 s');
    assert.equal(store.lease?.spec?.acquireTime, acquired, 'acquireTime kept on renew');
    assert.notEqual(store.lease?.spec?.renewTime, acquired);
    await clock.advance(6000);
    assert.equal(store.writes, 5);
    a.stop.abort();
    await a.done;
  });

  test('two candidates: only one leads; the other takes over after a release, counting the transition', async () => {
    const clock = new FakeClock(T0);
    const store = new LeaseStore();
    const a = candidate('a', store, clock);
    await settle();
    const b = candidate('b', store, clock);
    await clock.advance(30_000);
    assert.equal(a.elector.isLeader(), true);
    assert.equal(b.elector.isLeader(), false);
    assert.equal(b.elector.leader(), 'a');
    assert.equal(b.terms(), 0);

    a.stop.abort();
    await a.done;
    assert.equal(store.lease?.spec?.holderIdentity, '', 'released on cancel');
    assert.deepEqual(a.log.map((e) => e.event), ['start', 'aborted', 'stop']);
    const waited = await clock.advanceUntil(() => b.elector.isLeader(), 5000);
    assert.ok(waited <= 2000, `took over within one retry period (waited ${waited} ms)`);
    assert.equal(store.lease?.spec?.holderIdentity, 'b');
    assert.equal(store.lease?.spec?.leaseTransitions, 1);
    b.stop.abort();
    await b.done;
  });

  test('expiry: a leader cut off stops within the renew deadline, strictly before the other takes over', async () => {
    const clock = new FakeClock(T0);
    const store = new LeaseStore();
    const a = candidate('a', store, clock);
    await settle();
    const b = candidate('b', store, clock);
    await clock.advance(4000);
    const lastRenew = clock.now();
    a.lock.partitioned = true;

    await clock.advanceUntil(() => b.elector.isLeader(), 30_000);
    const aborted = a.log.find((e) => e.event === 'aborted');
    const bStart = b.log.find((e) => e.event === 'start');
    assert.ok(aborted && bStart);
    assert.ok(aborted.at - lastRenew <= 10_000 + 2000, `a stopped ${aborted.at - lastRenew} ms after its last renewal`);
    assert.ok(bStart.at - lastRenew >= 15_000, `b waited for the lease duration (${bStart.at - lastRenew} ms)`);
    assert.ok(aborted.at < bStart.at, 'never two leaders');
    assert.equal(a.elector.isLeader(), false);
    assert.equal(store.lease?.spec?.leaseTransitions, 1);

    // a comes back: it sees b's valid lease and stays a follower.
    a.lock.partitioned = false;
    await clock.advance(20_000);
    assert.equal(a.elector.isLeader(), false);
    assert.equal(b.elector.isLeader(), true);
    a.stop.abort();
    b.stop.abort();
    await Promise.all([a.done, b.done]);
  });

  test('a hung renew request does not keep a leader past its renew deadline', async () => {
    const clock = new FakeClock(T0);
    const store = new LeaseStore();
    const a = candidate('a', store, clock);
    await settle();
    const t0 = clock.now();
    a.lock.hung = true;
    await clock.advanceUntil(() => !a.elector.isLeader(), 20_000);
    assert.ok(clock.now() - t0 <= 12_000 + 100);
    assert.equal(a.log.at(-1)?.event, 'stop');
    assert.ok(a.lock.abortedCalls >= 1, 'the hung request was aborted, not left to land after the lease was given up');
    a.stop.abort();
    await a.done;
  });

  test('losing the lease aborts the signal of the leading work, and so the requests made under it', async () => {
    // The controllers get the term signal (kplane start / kplane controllers pass it to the
    // ControllerManager, whose reconciles derive their signals from it): a write in flight at
    // the moment of the loss is cut off.
    const clock = new FakeClock(T0);
    const store = new LeaseStore();
    const lock = new FakeLeaseLock(store);
    const elector = new LeaderElector({ lock, identity: 'a', clock, random: () => 0 });
    const stop = new AbortController();
    let inFlight: Promise<string> | undefined;
    const done = elector.run(stop.signal, {
      onStartedLeading: (term) => {
        // A write that stalls until its signal fires (pkg/client rejects such a call with RequestAbortedError).
        inFlight = new Promise<string>((resolve) => term.addEventListener('abort', () => resolve(elector.isLeader() ? 'aborted while still leader' : 'aborted'), { once: true }));
        return inFlight.then(() => undefined);
      },
    });
    await settle();
    assert.ok(inFlight, 'leading');
    // Another candidate takes the Lease (e.g. after a partition healed on its side).
    store.put({ holderIdentity: 'b', leaseDurationSeconds: 15, acquireTime: 'x', renewTime: 'y', leaseTransitions: 1 });
    await clock.advanceUntil(() => !elector.isLeader(), 20_000);
    assert.equal(await inFlight, 'aborted');
    stop.abort();
    await done;
  });

  test('renew failure stops the leading work at once, and the candidate campaigns again when healthy', async () => {
    const clock = new FakeClock(T0);
    const store = new LeaseStore();
    const a = candidate('a', store, clock);
    await settle();
    a.lock.partitioned = true;
    await clock.advanceUntil(() => !a.elector.isLeader(), 15_000);
    assert.deepEqual(a.log.map((e) => e.event), ['start', 'aborted', 'stop']);
    a.lock.partitioned = false;
    await clock.advanceUntil(() => a.elector.isLeader(), 10_000);
    assert.equal(a.terms(), 2);
    assert.equal(store.lease?.spec?.leaseTransitions, 0, 'still the same holder: no transition');
    a.stop.abort();
    await a.done;
  });

  test('a leader that sees another holder stops at its next renewal', async () => {
    const clock = new FakeClock(T0);
    const store = new LeaseStore();
    const a = candidate('a', store, clock);
    await settle();
    store.put({ ...store.lease!.spec, holderIdentity: 'intruder', leaseTransitions: 1 });
    await clock.advance(2000);
    assert.equal(a.elector.isLeader(), false);
    assert.equal(a.elector.leader(), 'intruder');
    a.stop.abort();
    await a.done;
    assert.equal(store.lease?.spec?.holderIdentity, 'intruder', 'release never touches a lease we do not hold');
  });

  test('candidates racing to create the Lease: exactly one wins', async () => {
    const clock = new FakeClock(T0);
    const store = new LeaseStore();
    const all = ['a', 'b', 'c'].map((n) => candidate(n, store, clock));
    await clock.advance(10_000);
    assert.equal(all.filter((c) => c.elector.isLeader()).length, 1);
    for (const c of all) c.stop.abort();
    await Promise.all(all.map((c) => c.done));
  });

  test('rejects timings without the safety margin', () => {
    const lock = new FakeLeaseLock(new LeaseStore());
    assert.throws(() => new LeaderElector({ lock, identity: 'x', leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }));
  });
});
