// Runs the compatibility cases written against third-party clients (test/e2e/clients/python):
// one process per case, its one JSON output line parsed.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** Debian's python3-kubernetes installs into the system Python, not a pyenv one. */
export const PYTHON = process.env.KPLANE_TEST_PYTHON ?? '/usr/bin/python3';
const CASES = join(import.meta.dirname, 'python', 'cases.py');

export function runPythonCase(name: string, kubeconfig: string): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any -- arbitrary JSON from the script
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [CASES, name, kubeconfig], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`python case ${name} exited ${code}:\n${stderr}\n${stdout}`));
      try {
        resolve(JSON.parse(last) as Record<string, unknown>);
      } catch {
        reject(new Error(`python case ${name} printed no JSON:\n${stderr}\n${stdout}`));
      }
    });
  });
}
