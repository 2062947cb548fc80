// ObjectMeta as untyped code handles it (the server's generic store, the client, informers):
// the well-known fields typed, any other field allowed. The one loose shape both sides share;
// objectmeta.ts holds the strict zod schema admission validates against.
import type { OwnerReference } from './objectmeta.ts';

export interface LooseObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  managedFields?: Record<string, unknown>[];
  [key: string]: unknown;
}
