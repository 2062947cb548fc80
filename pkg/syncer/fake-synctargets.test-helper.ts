// A literal in-memory SyncTargetAccess for unit tests: applies `test` and `add` JSON Patch ops
// the way the server does (a missing parent → 422 Invalid), and can be told to fail next calls.
import { StatusError } from '../apierrors/errors.ts';
import type { JsonPatchOp, SyncTarget } from '../client/index.ts';
import type { SyncTargetAccess } from './synctarget-access.ts';

export class FakeSyncTargets implements SyncTargetAccess {
  obj: SyncTarget | undefined;
  readonly patches: JsonPatchOp[][] = [];
  /** Errors thrown by the next patchStatus calls, in order. */
  failPatches: StatusError[] = [];
  failGets: StatusError[] = [];
  gets = 0;
  private rv = 1;

  constructor(obj?: SyncTarget) {
    this.obj = obj;
  }

  async get(name: string): Promise<SyncTarget> {
    this.gets++;
    const e = this.failGets.shift();
    if (e) throw e;
    if (!this.obj || this.obj.metadata.name !== name) throw new StatusError('NotFound', `synctargets "${name}" not found`);
    return structuredClone(this.obj);
  }

  async patchStatus(name: string, _type: 'json', ops: JsonPatchOp[]): Promise<SyncTarget> {
    this.patches.push(ops);
    const e = this.failPatches.shift();
    if (e) throw e;
    if (!this.obj || this.obj.metadata.name !== name) throw new StatusError('NotFound', `synctargets "${name}" not found`);
    const draft = structuredClone(this.obj) as unknown as Record<string, unknown>;
    for (const op of ops) {
      const parts = op.path.split('/').slice(1);
      const last = parts.pop()!;
      let parent: unknown = draft;
      for (const p of parts) parent = (parent as Record<string, unknown> | undefined)?.[p];
      if (parent === undefined || parent === null || typeof parent !== 'object') throw new StatusError('Invalid', `missing path ${op.path}`);
      const rec = parent as Record<string, unknown>;
      if (op.op === 'test') {
        if (JSON.stringify(rec[last]) !== JSON.stringify(op.value)) throw new StatusError('Invalid', `testing value ${op.path} failed`);
      } else if (op.op === 'add' && Array.isArray(rec) && last === '-') {
        rec.push(structuredClone(op.value));
      } else if (op.op === 'add' || op.op === 'replace') {
        if (op.op === 'replace' && !(last in rec)) throw new StatusError('Invalid', `replace: missing ${op.path}`);
        rec[last] = structuredClone(op.value);
      }
    }
    this.obj = { ...(draft as unknown as SyncTarget), metadata: { ...(draft as unknown as SyncTarget).metadata, resourceVersion: String(++this.rv) } };
    return structuredClone(this.obj);
  }
}

export function syncTarget(name: string, uid: string, status?: SyncTarget['status']): SyncTarget {
  return {
    apiVersion: 'workload.kcp.io/v1alpha1',
    kind: 'SyncTarget',
    metadata: { name, uid, resourceVersion: '1' },
    spec: { cluster: name, unschedulable: false },
    ...(status ? { status } : {}),
  };
}
