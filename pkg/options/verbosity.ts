// klog-style `--v N` mapped onto winston levels, so operators used to kube components can turn
// on debug logs the way they already know: 0–3 keep info (kube's usual production range),
// 4 and above add debug lines (reconcile summaries, TLS handshake failures, …).
import type { LogLevel } from '../log/logger.ts';

export const DEBUG_VERBOSITY = 4;

/** The level to log at: `--v` wins when given, else `--log-level`. */
export function effectiveLogLevel(o: { 'log-level': LogLevel; v?: number | undefined }): LogLevel {
  if (o.v === undefined) return o['log-level'];
  return o.v >= DEBUG_VERBOSITY ? 'debug' : 'info';
}
