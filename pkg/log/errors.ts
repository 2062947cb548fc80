// errorFields renders an error for a log line: its stack (or message) under `err`, and the
// chain of `cause`s under `cause`, so a wrapped failure (a StorageError around a SQLite
// error, a client error around a socket reset) is never logged without its origin.
const MAX_CAUSE_DEPTH = 5;

export function errorFields(err: unknown): { err: string; cause?: string } {
  const out: { err: string; cause?: string } = { err: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  const causes: string[] = [];
  let c: unknown = err instanceof Error ? err.cause : undefined;
  while (c !== undefined && c !== null && causes.length < MAX_CAUSE_DEPTH) {
    causes.push(c instanceof Error ? `${c.name}: ${c.message}` : String(c));
    c = c instanceof Error ? c.cause : undefined;
  }
  if (causes.length > 0) out.cause = causes.join(' <- ');
  return out;
}
