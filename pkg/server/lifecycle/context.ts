// What the workspace and namespace lifecycles share: the registry, a logger, the per-key
// queue that orders their background work, the clock, and the test-only pause points.
import type { Logger } from '../../log/logger.ts';
import type { Registry } from '../registry/registry.ts';
import type { KeyedQueue } from './keyed-queue.ts';
import { errorFields } from '../../log/errors.ts';

/**
 * Places where a test may stop background work to simulate a crash (kill -9 while paused,
 * restart, observe the resume): after the first object a cleanup removed, and before a
 * workspace's initialisation. Production passes none.
 */
export type PausePoint = 'cleanup' | 'initialization';

export interface LifecycleContext {
  registry: Registry;
  logger: Logger;
  queue: KeyedQueue;
  now: () => number;
  pause?: ((point: PausePoint) => Promise<void>) | undefined;
}

/** A hook for the contents walks that pauses once, after the first removal. */
export function pauseAfterFirstRemoval(ctx: LifecycleContext): (() => Promise<void>) | undefined {
  const pause = ctx.pause;
  if (!pause) return undefined;
  let first = true;
  return async () => {
    if (!first) return;
    first = false;
    await pause('cleanup');
  };
}

/** Run background work without awaiting it; failures are logged (the periodic resync retries). */
export function inBackground(ctx: LifecycleContext, what: string, fields: Record<string, unknown>, work: () => Promise<unknown>): void {
  setImmediate(() => {
    work().catch((err: unknown) => ctx.logger.error(`${what} failed; will retry`, { ...fields, ...errorFields(err) }));
  });
}
