// Test helper: lint an exposition with Prometheus's own `promtool check metrics`.
// Fails loudly when promtool is missing (Debian: apt-get install prometheus; .ci/run does).
import { spawnSync } from 'node:child_process';

export function promtoolCheckMetrics(exposition: string): { ok: boolean; output: string } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(missing ? 'promtool is not installed: apt-get install -y prometheus (CI installs it in .ci/run)' : `promtool failed to run: ${r.error.message}`);
  }
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}
