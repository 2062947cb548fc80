// Package controller: the generic controller runner and the task/step runner. See README.md.

export {
  Controller,
  DEFAULT_RECONCILE_TIMEOUT_MS,
  DEFAULT_CACHE_SYNC_POLL_MS,
  type ControllerOptions,
  type Reconcile,
  type ReconcileContext,
} from './runner.ts';
export { finishReconcile, type Result, type ReconcileOutcome, type Disposition } from './result.ts';
export {
  TerminalError,
  TransientError,
  ReconcileTimeoutError,
  terminal,
  defaultClassify,
  type ErrorClass,
} from './errors.ts';
export { withFields, discardLogger, type ControllerLogger, type LogMeta } from './logger.ts';
export {
  complete,
  wait,
  retry,
  fail,
  step,
  when,
  stopIf,
  nonBlocking,
  runSteps,
  toControllerResult,
  type Step,
  type StepGroup,
  type Task,
  type StepResult,
  type StepStatus,
  type StepRecord,
  type RunSummary,
  type RunStepsOptions,
} from './tasks.ts';
export { formatDuration } from './duration.ts';
