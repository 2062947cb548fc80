// The task/step runner (tidb-operator v2 style): a reconcile is an ordered list of named steps,
// each returning one tiny result, so the pipeline reads like a sentence and every reconcile
// ends in one summary line that says what happened and why.
//
//   complete(msg?)          done, go on
//   wait(msg)               cannot go on until something changes; an informer event wakes us
//   retry(afterMs, msg)     try again later (a planned check, not an error)
//   fail(error)             an error; the runner decides retry vs terminal from its class
//
// runSteps runs steps in order and stops at the first result that is not complete — except for
// steps wrapped in nonBlocking(), whose wait/retry is recorded but lets later steps run (e.g. a
// heartbeat check that schedules the next look while status is still written). The aggregate
// result takes the most severe status: fail > retry > wait > complete; among retries the
// smallest delay wins.

import { formatDuration } from './duration.ts';
import type { Result } from './result.ts';

export type StepStatus = 'complete' | 'wait' | 'retry' | 'fail';

export type StepResult =
  | { status: 'complete'; message?: string }
  | { status: 'wait'; message: string }
  | { status: 'retry'; afterMs: number; message: string }
  | { status: 'fail'; error: unknown; message: string };

export function complete(message?: string): StepResult {
  return message === undefined ? { status: 'complete' } : { status: 'complete', message };
}
export function wait(message: string): StepResult {
  return { status: 'wait', message };
}
export function retry(afterMs: number, message: string): StepResult {
  return { status: 'retry', afterMs: Math.max(0, afterMs), message };
}
export function fail(error: unknown, message?: string): StepResult {
  return { status: 'fail', error, message: message ?? (error instanceof Error ? error.message : String(error)) };
}

export interface Step<C> {
  readonly name: string;
  run(ctx: C): StepResult | Promise<StepResult>;
  /** wait/retry from this step does not stop the pipeline (see nonBlocking). */
  readonly nonBlocking?: boolean;
}

/** Lets the pipeline continue past this step's wait/retry (a fail still stops it). */
export function nonBlocking<C>(inner: Step<C>): Step<C> {
  return { name: inner.name, run: (ctx) => inner.run(ctx), nonBlocking: true };
}

export interface StepRecord {
  name: string;
  status: StepStatus;
  message?: string;
  /** For retry: the delay asked for. */
  afterMs?: number;
  durationMs: number;
}

export interface RunSummary {
  /** The aggregate; for fail, the failing step's error. */
  result: StepResult;
  /** Steps that ran, in order (not-reached steps are absent). */
  steps: StepRecord[];
  /** e.g. "retry(42s) finalizer=ok validate=ok heartbeat=retry(42s: fresh beat) status=ok" */
  summaryLine: string;
}

export interface RunStepsOptions {
  /** For step durations; defaults to performance.now. */
  now?: () => number;
}

const SEVERITY: Readonly<Record<StepStatus, number>> = { complete: 0, wait: 1, retry: 2, fail: 3 };

export async function runSteps<C>(steps: readonly Step<C>[], ctx: C, options: RunStepsOptions = {}): Promise<RunSummary> {
  const now = options.now ?? (() => performance.now());
  const records: StepRecord[] = [];
  let aggregate: StepResult = complete();

  for (const step of steps) {
    const startedAt = now();
    let result: StepResult;
    try {
      result = await step.run(ctx);
    } catch (err) {
      result = fail(err); // a throwing step is a failing step, never a crashed reconcile
    }
    records.push(toRecord(step.name, result, now() - startedAt));
    aggregate = moreSevere(aggregate, result);
    if (result.status === 'complete') continue;
    if (result.status === 'fail' || step.nonBlocking !== true) break;
  }
  return { result: aggregate, steps: records, summaryLine: summaryLine(aggregate, records) };
}

function moreSevere(current: StepResult, next: StepResult): StepResult {
  if (SEVERITY[next.status] > SEVERITY[current.status]) return next;
  if (next.status === 'retry' && current.status === 'retry' && next.afterMs < current.afterMs) return next;
  return current;
}

function toRecord(name: string, result: StepResult, durationMs: number): StepRecord {
  const record: StepRecord = { name, status: result.status, durationMs };
  if (result.message !== undefined) record.message = result.message;
  if (result.status === 'retry') record.afterMs = result.afterMs;
  return record;
}

function summaryLine(aggregate: StepResult, records: readonly StepRecord[]): string {
  const head = aggregate.status === 'retry' ? `retry(${formatDuration(aggregate.afterMs)})` : aggregate.status;
  return [head, ...records.map(formatRecord)].join(' ');
}

function formatRecord(r: StepRecord): string {
  switch (r.status) {
    case 'complete':
      return `${r.name}=ok`;
    case 'retry':
      return `${r.name}=retry(${formatDuration(r.afterMs ?? 0)}: ${r.message ?? ''})`;
    case 'wait':
      return `${r.name}=wait(${r.message ?? ''})`;
    case 'fail':
      return `${r.name}=fail(${r.message ?? ''})`;
  }
}

/**
 * Maps a run to what the controller runner expects: fail → the step's error (rate-limited, or
 * dropped when the runner's classify() calls it terminal); retry → requeueAfter; wait and complete →
 * success (a wait is resolved by the event that changes the world, not by polling).
 */
export function toControllerResult(summary: RunSummary): Result {
  const r = summary.result;
  switch (r.status) {
    case 'fail':
      return { error: r.error };
    case 'retry':
      // A zero delay still means "again": let the rate limiter pace it.
      return r.afterMs > 0 ? { requeueAfter: r.afterMs } : { requeue: true };
    case 'wait':
    case 'complete':
      return {};
  }
}
