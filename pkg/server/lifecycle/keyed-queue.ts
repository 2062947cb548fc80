// Runs async tasks one at a time per key (a workspace's child path, a namespace), so that a
// workspace's initialisation, its cleanup and the sweep before a same-named successor never
// interleave inside this process. Different keys run concurrently.
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    // The next task waits for this one whether it succeeds or fails: failures are the
    // caller's to report, the queue only orders.
    const next = prev.then(task, task);
    const tail = next.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}
