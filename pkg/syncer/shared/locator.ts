// Where an upstream namespace lives on the physical cluster: kcp's NamespaceLocator and the
// downstream namespace name derived from it (kcp's PhysicalClusterNamespaceName), byte for
// byte, so that a physical cluster once synced by kcp's syncer keeps the same namespaces.
import { createHash } from 'node:crypto';
import { NAMESPACE_LOCATOR_ANNOTATION, type NamespaceLocator } from '../../../apis/workload/v1alpha1/sync-contract.ts';

export { NAMESPACE_LOCATOR_ANNOTATION, type NamespaceLocator };

/**
 * Label on every downstream namespace and object the syncer of SyncTarget <key> made
 * (kcp's `internal.workload.kcp.io/cluster`): the status side watches by it, and an object
 * without it was not made by this syncer.
 */
export const DOWNSTREAM_CLUSTER_LABEL = 'internal.workload.kcp.io/cluster';

/** The field manager of every downstream write (and the mark of objects the syncer made). */
export const SYNCER_FIELD_MANAGER = 'kplane-syncer';

/**
 * The locator as Go's json.Marshal writes kcp's struct: fields in declaration order, no
 * spaces. The hash below is over exactly these bytes, so the order here is the wire.
 */
export function locatorJSON(l: NamespaceLocator): string {
  return JSON.stringify({
    syncTarget: { cluster: l.syncTarget.cluster, name: l.syncTarget.name, uid: l.syncTarget.uid },
    cluster: l.cluster,
    namespace: l.namespace,
  });
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Bytes as one big-endian integer in base 36, leading zero bytes kept as '0' (martinlindhe/base36). */
export function base36(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = '';
  while (n > 0n) {
    out = BASE36[Number(n % 36n)] + out;
    n /= 36n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = '0' + out;
  }
  return out;
}

/** `kcp-` + the first 12 base-36 digits of SHA-224 over the locator's JSON. */
export function downstreamNamespaceName(l: NamespaceLocator): string {
  return `kcp-${base36(createHash('sha224').update(locatorJSON(l)).digest()).slice(0, 12)}`;
}

/** The locator of a downstream namespace, or undefined when it has none or it is not a locator. */
export function locatorOf(annotations: Record<string, string> | undefined): NamespaceLocator | undefined {
  const raw = annotations?.[NAMESPACE_LOCATOR_ANNOTATION];
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<NamespaceLocator>;
    const st = v.syncTarget;
    if (!st || typeof st.cluster !== 'string' || typeof st.name !== 'string' || typeof st.uid !== 'string') return undefined;
    if (typeof v.cluster !== 'string' || typeof v.namespace !== 'string') return undefined;
    return { syncTarget: { cluster: st.cluster, name: st.name, uid: st.uid }, cluster: v.cluster, namespace: v.namespace };
  } catch {
    // Someone else's annotation that is not JSON: not ours, so not a locator.
    return undefined;
  }
}

/** Who this syncer is: the SyncTarget it serves and its key. */
export interface SyncTargetIdentity {
  /** Workspace path of the SyncTarget. */
  cluster: string;
  name: string;
  uid: string;
  /** toSyncTargetKey(cluster, name). */
  key: string;
}

export function isOurs(l: NamespaceLocator | undefined, me: SyncTargetIdentity): l is NamespaceLocator {
  return l !== undefined && l.syncTarget.cluster === me.cluster && l.syncTarget.name === me.name && l.syncTarget.uid === me.uid;
}

export function locatorFor(me: SyncTargetIdentity, cluster: string, namespace: string): NamespaceLocator {
  return { syncTarget: { cluster: me.cluster, name: me.name, uid: me.uid }, cluster, namespace };
}
