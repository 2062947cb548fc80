// An abortable sleep shared by every loop that waits (informer backoff, leader election,
// syncer heartbeats): it resolves after `ms`, or at once — never rejecting — when `signal`
// aborts, and leaves no timer or listener behind either way.
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  });
}
