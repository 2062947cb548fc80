// ShutdownState: the `shutdown` readiness check. It passes until SIGTERM arrives, then fails,
// so that load balancers stop sending new requests while in-flight ones drain (kube-apiserver's
// shutdown-delay pattern); /livez and /healthz are unaffected, so nothing restarts the process.
import type { HealthCheck } from './health.ts';

export class ShutdownState {
  private reason: string | undefined;

  /** Mark the process as shutting down (idempotent; the first reason wins). */
  begin(reason: string): void {
    this.reason ??= reason;
  }

  get shuttingDown(): boolean {
    return this.reason !== undefined;
  }

  readonly check: HealthCheck = {
    name: 'shutdown',
    check: () => {
      if (this.reason !== undefined) throw new Error(`process is shutting down (${this.reason})`);
    },
  };
}
