// Test-only hooks, read from the environment so no flag advertises them. KPLANE_TEST_PAUSE
// names lifecycle pause points (comma-separated: cleanup, initialization): background work
// stops there forever after logging "lifecycle paused for a test", so a test can kill -9 the
// process at a known point and check that the next start finishes the work.
// KPLANE_TEST_VERIFY_SHARED=1 (set by `npm test`) makes every update check that it left the
// watch cache's shared copy of the object untouched (pkg/server/cacher CachingStorage), every
// admission that reuses stored parts agree with a whole parse (pkg/server/admission/reuse.ts),
// and every SQLite write's object handed to watchers equal its stored bytes' decode.
import type { Logger } from '../../pkg/log/logger.ts';
import type { PausePoint } from '../../pkg/server/lifecycle.ts';

export const PAUSE_ENV = 'KPLANE_TEST_PAUSE';
export const VERIFY_SHARED_ENV = 'KPLANE_TEST_VERIFY_SHARED';

export function verifySharedObjectsFromEnv(env: NodeJS.ProcessEnv): boolean {
  return env[VERIFY_SHARED_ENV] === '1';
}

export function lifecyclePauseFromEnv(env: NodeJS.ProcessEnv, logger: Logger): ((point: PausePoint) => Promise<void>) | undefined {
  const points = new Set((env[PAUSE_ENV] ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  if (points.size === 0) return undefined;
  logger.warn('test pause points are enabled; background lifecycle work will stop', { points: [...points] });
  return (point) => {
    if (!points.has(point)) return Promise.resolve();
    logger.warn('lifecycle paused for a test', { point });
    return new Promise<void>(() => undefined);
  };
}
