// Status: Ready as the summary of Valid, SyncerDeployed and HeartbeatHealthy, the phase,
// observedGeneration — and the one guarded write: nothing is sent when the computed status
// deep-equals what is stored; otherwise a PUT to /status carrying the resourceVersion we
// read (a concurrent change is a 409 and a retry, never a lost update). An Event is recorded
// for every condition that turned False, and for Ready recovering from a Warning or Error
// (none for a condition's first appearance, none for a target coming up).
import { isDeepStrictEqual } from 'node:util';
import { type Condition, falseCondition, getCondition, setCondition, summary } from '../../../conditions/conditions.ts';
import type { SyncTarget, SyncTargetStatus } from '../../../client/index.ts';
import type { EventRecorder } from '../../../events/recorder.ts';
import { assessHeartbeat } from '../heartbeat/assess.ts';
import { heartbeatOf, judgeHeartbeat } from '../heartbeat/judge.ts';
import { COND_HEARTBEAT, COND_READY, COND_SYNCER_DEPLOYED, COND_VALID, type StepContext } from './types.ts';

export type Phase = NonNullable<SyncTargetStatus['phase']>;

export const SUMMARISED = [COND_VALID, COND_SYNCER_DEPLOYED, COND_HEARTBEAT] as const;

export function phaseOf(st: SyncTarget, conditions: readonly Condition[]): Phase {
  if (st.metadata.deletionTimestamp) return 'Deleting';
  if (getCondition(conditions, COND_VALID)?.status !== 'True') return 'Pending';
  if (getCondition(conditions, COND_SYNCER_DEPLOYED)?.status !== 'True') return 'Deploying';
  if (getCondition(conditions, COND_HEARTBEAT)?.status !== 'True') return 'NotReady';
  return 'Ready';
}

/**
 * Ready (the summary of SUMMARISED, or Deleting/DeletionBlocked) and phase from `conditions`,
 * which it updates in place. Both writers of SyncTarget status (this controller and the
 * heartbeat controller) derive Ready through this one function, so for the same conditions
 * they compute the same bytes and never undo each other's writes.
 */
export function summariseReady(st: SyncTarget, conditions: Condition[], now: number, deletingMessage?: string): Phase {
  if (deletingMessage) setCondition(conditions, falseCondition(COND_READY, 'DeletionBlocked', 'Error', deletingMessage), now);
  else if (st.metadata.deletionTimestamp) setCondition(conditions, falseCondition(COND_READY, 'Deleting', 'Info', 'The SyncTarget is being deleted'), now);
  else setCondition(conditions, summary(conditions, SUMMARISED), now);
  return phaseOf(st, conditions);
}

/**
 * Fill in Ready, phase and observedGeneration on the draft. A target no syncer has beaten for
 * yet also gets its first HeartbeatHealthy here (the heartbeat controller's own verdict for
 * "no beat", from the same function), so a new SyncTarget's status is written once, not once
 * by each controller racing the other into a conflict. When the heartbeat controller runs in
 * the same manager (deps.heartbeat), a target that beats gets that controller's current
 * verdict from the shared tracker: a first beat turns SyncerDeployed (ours) and
 * HeartbeatHealthy (its) True, and whichever controller writes first writes both, the other
 * then finds nothing to change. Otherwise HeartbeatHealthy is carried over as stored.
 */
export function computeStatus(ctx: StepContext): void {
  const judge = ctx.deps.heartbeat;
  const judged = judge ? heartbeatOf(judge, ctx.draft) : undefined;
  const beat = judge ? judged : ctx.draft.status?.lastSyncerHeartbeatTime;
  const now = ctx.deps.now();
  if (judge && judged && !ctx.draft.metadata.deletionTimestamp) {
    setCondition(ctx.conditions, judgeHeartbeat(judge, ctx.key, judged, now).condition, now);
  } else if (!getCondition(ctx.conditions, COND_HEARTBEAT) && !beat) {
    setCondition(ctx.conditions, assessHeartbeat(undefined, now, now, Number.POSITIVE_INFINITY).condition, now);
  }
  const phase = summariseReady(ctx.draft, ctx.conditions, ctx.deps.now(), ctx.deletingMessage);
  const status: SyncTargetStatus = { ...ctx.draft.status };
  status.conditions = ctx.conditions;
  status.phase = phase;
  if (ctx.draft.metadata.generation !== undefined) status.observedGeneration = ctx.draft.metadata.generation;
  ctx.draft.status = status;
}

export interface Transition {
  type: string;
  from: string | undefined;
  to: Condition;
}

/**
 * Conditions whose status changed and that are news: turning False, or Ready turning True after
 * a Warning or Error (see the loop). A condition appearing for the first time is no transition:
 * a new SyncTarget gets no Event (as in kcp, whose SyncTarget controllers record none), which
 * keeps a bulk creation at one status write per target; its status says where it stands.
 */
export function transitions(before: readonly Condition[] | undefined, after: readonly Condition[]): Transition[] {
  const out: Transition[] = [];
  for (const c of after) {
    const prev = before?.find((p) => p.type === c.type);
    if (!prev) continue;
    if (prev.status === c.status) continue;
    // Turning True is news only as Ready recovering from a problem (a Warning or Error): a target
    // coming up (from waiting for its syncer, Info) is not, and the other conditions' recovery
    // is what Ready's says. Each Event is a write competing with status writes; a fleet's first
    // beats would otherwise record two per target.
    if (c.status === 'True' && !(c.type === COND_READY && (prev.severity === 'Error' || prev.severity === 'Warning'))) continue;
    out.push({ type: c.type, from: prev.status, to: c });
  }
  // When Ready flips for the same reason as the condition that caused it (Ready=False because
  // HeartbeatHealthy=False), one Event says it all: keep Ready's, drop the duplicate. This
  // halves the writes of a mass staleness event.
  const ready = out.find((t) => t.type === COND_READY);
  return ready ? out.filter((t) => t === ready || t.to.status !== ready.to.status || t.to.reason !== ready.to.reason) : out;
}

/** Write status if it changed. Returns whether a write happened. */
export async function commitStatus(ctx: StepContext): Promise<boolean> {
  if (!statusChanged(ctx.original.status, ctx.draft.status)) return false;
  const body: SyncTarget = { ...ctx.draft, metadata: { ...ctx.draft.metadata } };
  const updated = await ctx.client.cluster(ctx.cluster).syncTargets().updateStatus(body);
  recordTransitions(ctx.deps.recorder, updated, ctx.original.status?.conditions as Condition[] | undefined, ctx.conditions);
  return true;
}

/** One Event per condition whose status changed (see transitions), after a status write. */
export function recordTransitions(recorder: EventRecorder, updated: SyncTarget, before: readonly Condition[] | undefined, after: readonly Condition[]): void {
  for (const t of transitions(before, after)) {
    const bad = t.to.status !== 'True' && (t.to.severity === 'Error' || t.to.severity === 'Warning');
    const reason = t.to.reason ?? `${t.type}${t.to.status}`;
    const message = `${t.type} is ${t.to.status}${t.to.message ? `: ${t.to.message}` : ''}`;
    // Events are best effort and must not hold up the next reconcile: the recorder never
    // throws, so the promise is left to settle on its own.
    void recorder.event(updated, bad ? 'Warning' : 'Normal', reason, message);
  }
}

/** Is there anything to write? undefined and {} are the same status. */
export function statusChanged(before: SyncTargetStatus | undefined, after: SyncTargetStatus | undefined): boolean {
  return !isDeepStrictEqual(before ?? {}, after ?? {});
}
