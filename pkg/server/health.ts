// /healthz, /livez, /readyz in kube-apiserver's format: `ok`, or with ?verbose one line per
// check (`[+]storage ok`), and `/readyz/<check>` for a single check.
import type { ServerResponse } from 'node:http';

export interface HealthCheck {
  name: string;
  /** Resolves when healthy; rejects (or throws) with the reason otherwise. */
  check(): Promise<void> | void;
}

export async function serveHealth(res: ServerResponse, endpoint: string, checks: HealthCheck[], url: URL): Promise<void> {
  const only = url.pathname.split('/')[2];
  const selected = only ? checks.filter((c) => c.name === only) : checks;
  if (only && selected.length === 0) {
    res.statusCode = 404;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(`no such health check: ${only}\n`);
    return;
  }
  const exclude = new Set(url.searchParams.getAll('exclude'));
  const lines: string[] = [];
  let failed = false;
  for (const c of selected) {
    if (exclude.has(c.name)) {
      lines.push(`[+]${c.name} excluded: ok`);
      continue;
    }
    try {
      await c.check();
      lines.push(`[+]${c.name} ok`);
    } catch (err) {
      failed = true;
      lines.push(`[-]${c.name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const verbose = url.searchParams.has('verbose') || failed;
  res.statusCode = failed ? 500 : 200;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (!verbose) {
    res.end('ok');
    return;
  }
  lines.push(failed ? `${endpoint} check failed` : `${endpoint} check passed`);
  res.end(lines.join('\n') + '\n');
}
