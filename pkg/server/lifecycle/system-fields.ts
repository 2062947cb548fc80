// System-owned fields that clients send along with their objects but may not change: an
// update keeps whatever the live object has (kube's strategies do the same for, e.g., a
// namespace's spec.finalizers).
import type { KObject } from '../registry/object.ts';

/** next's annotation `key` becomes live's (present or absent). */
export function keepSystemAnnotation(live: KObject, next: KObject, key: string): void {
  const value = live.metadata.annotations?.[key];
  const annotations = { ...next.metadata.annotations };
  if (value === undefined) delete annotations[key];
  else annotations[key] = value;
  next.metadata.annotations = annotations;
}

/** next carries finalizer `f` exactly when live does; other finalizers stay the client's. */
export function keepSystemFinalizer(live: KObject, next: KObject, f: string): void {
  const others = withoutFinalizer(next, f) ?? [];
  const finalizers = (live.metadata.finalizers ?? []).includes(f) ? [...others, f] : others;
  if (finalizers.length === 0) delete next.metadata.finalizers;
  else next.metadata.finalizers = finalizers;
}

/** obj's finalizers without `f`; undefined when none remain. */
export function withoutFinalizer(obj: KObject, f: string): string[] | undefined {
  const rest = (obj.metadata.finalizers ?? []).filter((x) => x !== f);
  return rest.length > 0 ? rest : undefined;
}
