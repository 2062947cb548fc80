// Graceful shutdown of `kplane start`, in the order that loses nothing:
//   1. SIGTERM/SIGINT → the `shutdown` readiness check fails (load balancers stop routing);
//   2. wait --shutdown-delay while still serving (lets them notice; 0 by default, as kube);
//   3. the remaining steps run in order (controllers stop, the server stops accepting, watches
//      end with a clean end of stream, in-flight requests drain up to --shutdown-grace-period,
//      storage flushes and closes).
// A watchdog bounds the whole sequence: a stuck step cannot keep the process alive forever.
import type { Logger } from '../../pkg/log/logger.ts';
import { errorFields } from '../../pkg/log/errors.ts';
import type { ShutdownState } from '../../pkg/server/shutdown.ts';

export interface ShutdownStep {
  name: string;
  run(): Promise<void>;
}

/** Resolves with the signal's name once SIGTERM or SIGINT arrives. */
export function waitForTermination(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}

export async function shutDownGracefully(opts: {
  signal: string;
  state: ShutdownState;
  logger: Logger;
  delayMs: number;
  /** Upper bound for all steps together after the delay; then the process exits 1. */
  deadlineMs: number;
  steps: ShutdownStep[];
}): Promise<void> {
  const { logger } = opts;
  opts.state.begin(opts.signal);
  logger.info('shutting down', { signal: opts.signal, delayMs: opts.delayMs });
  if (opts.delayMs > 0) await new Promise((r) => setTimeout(r, opts.delayMs));
  let current = '';
  const watchdog = setTimeout(() => {
    logger.error('shutdown did not finish in time; exiting', { step: current, deadlineMs: opts.deadlineMs });
    process.exit(1);
  }, opts.deadlineMs);
  watchdog.unref();
  try {
    for (const step of opts.steps) {
      current = step.name;
      const t0 = Date.now();
      try {
        await step.run();
      } catch (err) {
        // Keep going: a failed step must not leave storage unflushed.
        logger.error('shutdown step failed', { step: step.name, ...errorFields(err) });
      }
      logger.debug('shutdown step done', { step: step.name, ms: Date.now() - t0 });
    }
  } finally {
    clearTimeout(watchdog);
  }
}
