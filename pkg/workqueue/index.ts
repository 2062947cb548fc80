// Package workqueue: client-go's util/workqueue for kplane controllers. See README.md.

export type { Clock, TimerHandle } from '../clock/clock.ts';
export { monotonicClock } from '../clock/clock.ts';
export { FakeClock, flushPromises } from '../clock/fake.ts';
export type { GetResult, WorkQueue, DelayingWorkQueue, RateLimitingWorkQueue } from './types.ts';
export { Queue, type QueueOptions } from './queue.ts';
export { DelayingQueue, type DelayingQueueOptions } from './delaying-queue.ts';
export { RateLimitingQueue, type RateLimitingQueueOptions } from './rate-limiting-queue.ts';
export {
  type RateLimiter,
  ItemExponentialFailureRateLimiter,
  BucketRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
} from './rate-limiters.ts';
