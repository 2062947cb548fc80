// Logical cluster paths as kcp spells them: `root`, `root:org`, `root:org:team`.
// Each segment is a DNS-1123 label; `*` (the wildcard) is accepted only where a caller
// asks for it (privileged cross-cluster list/watch).

export const ROOT = 'root';
export const WILDCARD = '*';

const SEGMENT = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function isValidSegment(s: string): boolean {
  return SEGMENT.test(s);
}

/** A valid logical cluster path (not the wildcard). */
export function isValidPath(path: string): boolean {
  if (path.length === 0 || path.length > 1024) return false;
  return path.split(':').every(isValidSegment);
}

/** Parent path, or undefined for a top-level path. */
export function parentOf(path: string): string | undefined {
  const i = path.lastIndexOf(':');
  return i < 0 ? undefined : path.slice(0, i);
}

/** Last segment (the workspace name inside its parent). */
export function baseName(path: string): string {
  const i = path.lastIndexOf(':');
  return i < 0 ? path : path.slice(i + 1);
}

export function join(parent: string, name: string): string {
  return `${parent}:${name}`;
}

/** True when `path` is `ancestor` itself or lies below it. */
export function isWithin(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(ancestor + ':');
}
