// Where `kubectl ws <arg>` goes, as kcp's plugin resolves it:
//   `:root:org` or `root:org` (starts with root) → absolute; `..` → parent; `-` → previous;
//   anything else → a child (or descendant `a:b`) of the current workspace.
import { isValidPath, parentOf, ROOT } from '../../logicalcluster/path.ts';

export class WorkspacePathError extends Error {
  override readonly name = 'WorkspacePathError';
}

export type Target = { kind: 'path'; path: string } | { kind: 'previous' };

export function resolveTarget(current: string, arg: string): Target {
  if (arg === '-') return { kind: 'previous' };
  let path: string;
  if (arg === '..') {
    const parent = parentOf(current);
    if (parent === undefined) throw new WorkspacePathError(`workspace "${current}" has no parent`);
    path = parent;
  } else if (arg.startsWith(':')) path = arg.slice(1);
  else if (arg === ROOT || arg.startsWith(`${ROOT}:`)) path = arg;
  else path = `${current}:${arg}`;
  if (!isValidPath(path)) throw new WorkspacePathError(`invalid workspace path "${path}"`);
  return { kind: 'path', path };
}

/** Split a server URL into its base and logical cluster (`root` when there is no prefix). */
export function splitServer(server: string): { base: string; cluster: string } {
  const u = new URL(server);
  const m = /^(.*?)\/clusters\/([^/]+)\/?$/.exec(u.pathname);
  const prefix = m ? m[1]! : u.pathname.replace(/\/+$/, '');
  return { base: `${u.protocol}//${u.host}${prefix}`, cluster: m ? decodeURIComponent(m[2]!) : ROOT };
}

export function serverFor(base: string, cluster: string): string {
  return `${base}/clusters/${cluster}`;
}
