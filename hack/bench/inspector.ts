// The inspector of a kplane process the benchmark started (Chrome DevTools Protocol over
// WebSocket on a loopback port passed as --inspect through NODE_OPTIONS): collect garbage,
// read the live heap and the process's own memory breakdown. Exact figures with no code
// inside the server for them.
import { createWriteStream } from 'node:fs';
import { createServer as createNetServer } from 'node:net';

/** A free loopback port for a child's inspector. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/** process.memoryUsage() of the inspected process, after a full collection. */
export interface MemoryBreakdown {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  /** C++ objects bound to JS (Buffers' backing stores, SQLite handles, TLS). */
  external: number;
  arrayBuffers: number;
  /** Heap used by the process's worker threads (the controllers' worker), not in heapUsed. */
  workersHeapUsed?: number;
}

/**
 * Run `start` with NODE_OPTIONS carrying --inspect on a free loopback port (for that child
 * only; this process's environment is restored at once), then connect to it.
 */
export async function withInspector<T>(start: () => Promise<T>): Promise<{ started: T; inspector: Inspector }> {
  const port = await freePort();
  const saved = process.env['NODE_OPTIONS'];
  process.env['NODE_OPTIONS'] = `${saved ?? ''} --inspect=127.0.0.1:${port}`.trim();
  let started: T;
  try {
    started = await start();
  } finally {
    if (saved === undefined) delete process.env['NODE_OPTIONS'];
    else process.env['NODE_OPTIONS'] = saved;
  }
  return { started, inspector: await Inspector.connect(port) };
}

export class Inspector {
  private readonly ws: WebSocket;
  private nextId = 1;
  private readonly waiting = new Map<number, (result: Record<string, unknown>) => void>();
  /** Receives HeapProfiler.addHeapSnapshotChunk while a snapshot is being taken. */
  private onChunk: ((chunk: string) => void) | undefined;
  /** Inspector sessions of the process's worker threads (NodeWorker domain), by session id. */
  private readonly workers = new Set<string>();

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.addEventListener('message', (ev) => {
      const msg = JSON.parse(String(ev.data)) as { id?: number; method?: string; params?: { chunk?: string; sessionId?: string; message?: string }; result?: Record<string, unknown> };
      if (msg.id !== undefined) this.waiting.get(msg.id)?.(msg.result ?? {});
      else if (msg.method === 'HeapProfiler.addHeapSnapshotChunk' && msg.params?.chunk !== undefined) this.onChunk?.(msg.params.chunk);
      else if (msg.method === 'NodeWorker.attachedToWorker' && msg.params?.sessionId) this.workers.add(msg.params.sessionId);
      else if (msg.method === 'NodeWorker.detachedFromWorker' && msg.params?.sessionId) this.workers.delete(msg.params.sessionId);
      else if (msg.method === 'NodeWorker.receivedMessageFromWorker' && msg.params?.message) {
        // A worker's answer: ids are drawn from the same counter, so they never collide.
        const inner = JSON.parse(msg.params.message) as { id?: number; result?: Record<string, unknown> };
        if (inner.id !== undefined) this.waiting.get(inner.id)?.(inner.result ?? {});
      }
    });
  }

  static async connect(port: number): Promise<Inspector> {
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
    const ws = new WebSocket(targets[0]!.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      ws.addEventListener('open', resolve, { once: true });
      ws.addEventListener('error', reject, { once: true });
    });
    const inspector = new Inspector(ws);
    // Attach to worker threads too (the controllers' worker), so that a full collection and
    // the heap figures cover every isolate of the process.
    await inspector.call('NodeWorker.enable', { waitForDebuggerOnStart: false });
    return inspector;
  }

  /** Call a method in one worker thread's isolate. */
  private callWorker(sessionId: string, method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.ws.send(JSON.stringify({ id: this.nextId++, method: 'NodeWorker.sendMessageToWorker', params: { sessionId, message: JSON.stringify({ id, method, params }) } }));
    });
  }

  call(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  async collectGarbage(): Promise<void> {
    for (let i = 0; i < 2; i++) {
      await this.call('HeapProfiler.collectGarbage');
      for (const w of this.workers) await this.callWorker(w, 'HeapProfiler.collectGarbage');
    }
  }

  async liveHeapBytes(): Promise<number> {
    await this.collectGarbage();
    return Number((await this.call('Runtime.getHeapUsage'))['usedSize']);
  }

  /** Full collection, then the process's memoryUsage() (what is left once garbage is gone). */
  async memoryAfterGc(): Promise<MemoryBreakdown> {
    await this.collectGarbage();
    return this.memoryNow();
  }

  /** The process's memoryUsage() as it is (garbage included: how much of the RSS is V8's heap). */
  async memoryNow(): Promise<MemoryBreakdown> {
    const res = await this.call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
    const value = (res['result'] as { value?: string } | undefined)?.value;
    if (typeof value !== 'string') throw new Error(`inspector: memoryUsage() gave ${JSON.stringify(res)}`);
    const usage = JSON.parse(value) as MemoryBreakdown;
    if (this.workers.size === 0) return usage;
    let workersHeapUsed = 0;
    for (const w of this.workers) workersHeapUsed += Number((await this.callWorker(w, 'Runtime.getHeapUsage'))['usedSize'] ?? 0);
    return { ...usage, workersHeapUsed };
  }

  /**
   * Write a heap snapshot of the inspected process to `file` (readable by Chrome DevTools and
   * hack/profile/heap.ts). The snapshot itself collects garbage first, so it holds what is live.
   */
  async heapSnapshot(file: string): Promise<void> {
    const out = createWriteStream(file);
    this.onChunk = (chunk) => out.write(chunk);
    try {
      await this.call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    } finally {
      this.onChunk = undefined;
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    }
  }

  close(): void {
    this.ws.close();
  }
}
