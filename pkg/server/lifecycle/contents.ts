// Removing what lives inside a logical cluster or a namespace. Deletions go straight to
// storage (no finalizers, no hooks): the contents of a deleted workspace or namespace have no
// owner left to finalize them. Both walks are idempotent, so an interrupted run simply runs again.
import { join } from '../../logicalcluster/path.ts';
import { StatusError } from '../../apierrors/errors.ts';
import type { Registry } from '../registry/registry.ts';
import type { ResourceStore, Scope } from '../registry/store.ts';

const PAGE = 500;

/** Called after each object removed (tests pause here to simulate a crash mid-cleanup). */
export type RemovedHook = () => Promise<void>;

/**
 * Delete every object of logical cluster `path` and of every cluster below it. Children go
 * first and a child's Workspace object only after its own contents, so the tree stays
 * reachable from `path` until it is empty: a crash at any point leaves a walk that resumes.
 */
export async function deleteClusterTree(registry: Registry, path: string, onRemoved?: RemovedHook): Promise<number> {
  let removed = 0;
  const workspaces = registry.store('tenancy.kcp.io', 'workspaces');
  for (const name of await namesIn(workspaces, { cluster: path, namespace: '' })) {
    removed += await deleteClusterTree(registry, join(path, name), onRemoved);
  }
  for (const store of registry.storedResources()) {
    removed += await drain(store, { cluster: path, namespace: '' }, onRemoved);
  }
  return removed;
}

/** Delete every namespaced object in one namespace of one logical cluster. */
export async function deleteNamespaceContents(registry: Registry, cluster: string, namespace: string, onRemoved?: RemovedHook): Promise<number> {
  let removed = 0;
  for (const store of registry.storedResources()) {
    if (store.def.namespaced) removed += await drain(store, { cluster, namespace }, onRemoved);
  }
  return removed;
}

/** Delete page after page until a fresh list is empty (also catches objects written meanwhile). */
async function drain(store: ResourceStore, scope: Scope, onRemoved: RemovedHook | undefined): Promise<number> {
  let removed = 0;
  for (;;) {
    const page = await store.listPage(scope, { limit: PAGE });
    if (page.items.length === 0) return removed;
    for (const obj of page.items) {
      try {
        await store.storageDelete(scope.cluster ?? '', obj.metadata.namespace ?? '', obj.metadata.name ?? '');
        removed++;
      } catch (err) {
        // Removed concurrently (another replica's or an earlier run's cleanup): that is the goal.
        if (!(err instanceof StatusError && err.reason === 'NotFound')) throw err;
      }
      await onRemoved?.();
    }
  }
}

async function namesIn(store: ResourceStore, scope: Scope): Promise<string[]> {
  const names: string[] = [];
  let cont: string | undefined;
  do {
    const page = await store.listPage(scope, { limit: PAGE, ...(cont ? { continue: cont } : {}) });
    for (const obj of page.items) names.push(obj.metadata.name ?? '');
    cont = page.continue;
  } while (cont);
  return names;
}
