// Staleness detection, shared by the reconcile and scale benchmarks: give every target one
// heartbeat (32 in flight), then silence; per target measure from (beat acknowledged +
// threshold) to the first watch event carrying HeartbeatHealthy=False. A controller (in the
// benchmark process or in kplane) with the same threshold must be running.
//
// How a target beats (StalenessOptions.beat): 'status' patches status.lastSyncerHeartbeatTime,
// as a kcp-style syncer does; 'lease' writes the syncer's heartbeat Lease (KEP-589;
// kplane-syncer --heartbeat-lease) as its first renewal does, a server-side apply that creates
// it. Either way the beat turns HeartbeatHealthy True and its silence turns it False: only the
// kind of write that carries the beat differs. (A steady state, the fleet already healthy, needs
// beats faster than 10,000 targets / 10 s threshold, more than the server's write rate.)
import { type ClusterClient, type SyncTarget, type WatchEvent } from '../../pkg/client/index.ts';
import { keyOf } from '../../pkg/informer/keys.ts';
import { pool, progress, sleep, storageRevision, waitFor, type CreatedTarget } from './fixture.ts';
import { summarize, type LatencyStats } from './lib.ts';
import { formatTime } from '../../apis/meta/v1/time.ts';
import { HeartbeatLease } from '../../pkg/syncer/lease.ts';
import { SYNCER_IDENTITY_NAMESPACE } from '../../pkg/syncer/manifests/identity.ts';

export interface Staleness {
  stats: LatencyStats;
  missed: number;
  beatErrors: number;
  beatMs: number;
  /**
   * Targets detected more than 1 s late, and when their deadlines fell, in seconds after the
   * first beat's (a tail from one pause bunches; a saturated server spreads it). writtenLate:
   * how many of them the server wrote at least 2 s late by the condition's lastTransitionTime
   * (whole seconds, rounded down, so never later than the write); the others were written in
   * time and reached this benchmark's watch late (its process busy sending beats).
   */
  late: { count: number; deadlineFromS: number; deadlineToS: number; writtenLate: number };
}

export interface StalenessOptions {
  beat?: 'status' | 'lease';
}

/** One beat of `t` (a SyncTarget whose uid is `uid`) as `mode` sends it. */
async function beatOnce(client: ClusterClient, t: CreatedTarget, uid: string, mode: 'status' | 'lease'): Promise<void> {
  if (mode === 'status') {
    await client.cluster(t.cluster).syncTargets().patchStatus(t.name, 'merge', { status: { lastSyncerHeartbeatTime: formatTime(new Date()) } });
    return;
  }
  // The syncer's own first renewal: a server-side apply that creates the Lease.
  const leases = client.cluster(t.cluster).leases(SYNCER_IDENTITY_NAMESPACE);
  await new HeartbeatLease({ leases, syncTargetName: t.name, syncTargetUid: uid, periodMs: 10_000, holder: 'bench' }).renew(new Date());
}

export async function staleness(client: ClusterClient, targets: readonly CreatedTarget[], thresholdMs: number, opts: StalenessOptions = {}): Promise<Staleness> {
  const mode = opts.beat ?? 'status';
  // A Lease is named after its SyncTarget's uid: read them all first, outside the measurement.
  const uids = new Map<string, string>();
  if (mode === 'lease') {
    for (const st of (await client.wildcard().syncTargets().listAll()).items) uids.set(keyOf(st), st.metadata.uid ?? '');
  }
  const stop = new AbortController();
  const beatDone = new Map<string, number>();
  /** Wall-clock time of each beat's acknowledgement, to compare with lastTransitionTime. */
  const beatWall = new Map<string, number>();
  let writtenLate = 0;
  const sawHealthy = new Set<string>();
  const latencies: number[] = [];
  const lateDeadlines: number[] = [];
  const detected = new Set<string>();
  const rv = String(await storageRevision(client));
  const watch = (async () => {
    try {
      for await (const ev of client.wildcard().syncTargets().watch({ resourceVersion: rv, signal: stop.signal }) as AsyncGenerator<WatchEvent<SyncTarget>>) {
        if (ev.type !== 'MODIFIED') continue;
        const key = keyOf(ev.object);
        const beat = beatDone.get(key);
        const cond = ev.object.status?.conditions?.find((c) => c.type === 'HeartbeatHealthy');
        if (!cond) continue;
        if (cond.status === 'True') sawHealthy.add(key);
        // Stale = False because the beat we sent aged out ("No heartbeat since …"), not the
        // initial "No heartbeat yet seen". Whether True was seen in between does not matter:
        // a controller lagging more than the threshold behind writes False directly, and that
        // lateness is exactly what is measured.
        else if (cond.status === 'False' && cond.message?.startsWith('No heartbeat since') && beat !== undefined && !detected.has(key)) {
          detected.add(key);
          const late = performance.now() - (beat + thresholdMs);
          latencies.push(late);
          if (late > 1_000) {
            lateDeadlines.push(beat + thresholdMs);
            const written = Date.parse(cond.lastTransitionTime ?? '');
            if (written - ((beatWall.get(key) ?? written) + thresholdMs) >= 2_000) writtenLate++;
          }
        }
      }
    } catch (err) {
      if (!stop.signal.aborted) throw err;
    }
  })();
  await sleep(300);
  let beatErrors = 0;
  const t0 = performance.now();
  // One beat per target, as fast as the server takes them, then silence.
  await pool(targets.length, 32, async (i) => {
    const t = targets[i]!;
    try {
      await beatOnce(client, t, uids.get(`${t.cluster}|${t.name}`) ?? '', mode);
      beatDone.set(`${t.cluster}|${t.name}`, performance.now());
      beatWall.set(`${t.cluster}|${t.name}`, Date.now());
    } catch {
      beatErrors++;
    }
  });
  const beatMs = performance.now() - t0;
  progress(`staleness: ${beatDone.size} beats (${mode}) sent in ${(beatMs / 1000).toFixed(1)} s; waiting for HeartbeatHealthy=False`);
  try {
    await waitFor('staleness detected', () => [detected.size >= beatDone.size, `${detected.size}/${beatDone.size} stale seen, ${sawHealthy.size} seen healthy`], thresholdMs + 120_000, 100);
  } catch (err) {
    progress(String(err));
  }
  stop.abort();
  await watch;
  const firstDeadline = t0 + thresholdMs;
  const offsets = lateDeadlines.map((d) => (d - firstDeadline) / 1000);
  const late = { count: offsets.length, deadlineFromS: offsets.length ? Math.min(...offsets) : 0, deadlineToS: offsets.length ? Math.max(...offsets) : 0, writtenLate };
  return { stats: summarize(latencies, performance.now() - t0), missed: beatDone.size - detected.size, beatErrors, beatMs, late };
}

