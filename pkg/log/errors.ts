// errorFields renders an error for a log line — the one helper every package logs errors with,
// so every line carries the same keys: its stack (or message) under `err`, its class name under
// `errorType` (for filtering, e.g. ReconcileTimeoutError), and the chain of `cause`s under
// `cause`, so a wrapped failure (a StorageError around a SQLite error, a client error around a
// socket reset) is never logged without its origin. Errors do not survive JSON.stringify (their
// own properties are not enumerable), which is why `{ error: err }` is never logged as is.
const MAX_CAUSE_DEPTH = 5;

// A type alias (not an interface) so it spreads into Record<string, unknown> log metadata.
export type ErrorFields = {
  err: string;
  errorType?: string;
  cause?: string;
};

export function errorFields(err: unknown): ErrorFields {
  const out: ErrorFields = { err: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  if (err instanceof Error) out.errorType = err.name;
  const causes: string[] = [];
  let c: unknown = err instanceof Error ? err.cause : undefined;
  while (c !== undefined && c !== null && causes.length < MAX_CAUSE_DEPTH) {
    causes.push(c instanceof Error ? `${c.name}: ${c.message}` : String(c));
    c = c instanceof Error ? c.cause : undefined;
  }
  if (causes.length > 0) out.cause = causes.join(' <- ');
  return out;
}
