// ResourceClient: the verbs on one resource in one logical cluster (optionally one
// namespace), or across every cluster for the privileged wildcard (list/watch only).
// Every verb takes an AbortSignal (`opts.signal`), and a client may carry one of its own
// (ClusterClient.withSignal): a request aborts when either fires, rejecting at once with
// RequestAbortedError, so a reconcile that timed out or a replica that lost its lease stops
// talking to the server instead of finishing writes nobody wants any more.
import type { Status } from '../../apis/meta/v1/status.ts';
import { apiPath, type GVR } from './gvr.ts';
import { anySignal } from './signal.ts';
import type { KubeList, KubeObject, WatchEvent } from './object.ts';
import type { Transport } from './transport.ts';

/** Options every verb accepts. */
export interface CallOptions {
  /** Abort this call; combined with the client's own signal (ClusterClient.withSignal). */
  signal?: AbortSignal;
}

export interface ListOptions extends CallOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface WatchOptions extends CallOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export interface WriteOptions extends CallOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

export interface PatchOptions extends WriteOptions {
  force?: boolean;
}

export interface DeleteOptions extends CallOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  dryRun?: boolean;
}

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

function writeQuery(o: WriteOptions | undefined, defaultManager: string): Record<string, string | undefined> {
  return {
    dryRun: o?.dryRun ? 'All' : undefined,
    fieldManager: o?.fieldManager ?? defaultManager,
    fieldValidation: o?.fieldValidation,
  };
}

export class ResourceClient<T extends KubeObject = KubeObject> {
  readonly gvr: GVR;
  /** undefined = wildcard (every logical cluster); '' = a plain Kubernetes server (ClusterClient.plain). */
  readonly cluster: string | undefined;
  readonly namespace: string;
  private readonly transport: Transport;
  private readonly fieldManager: string;
  /** Aborts every call made through this client (see ClusterClient.withSignal). */
  readonly signal: AbortSignal | undefined;

  constructor(transport: Transport, gvr: GVR, cluster: string | undefined, namespace: string, fieldManager: string, signal?: AbortSignal) {
    this.transport = transport;
    this.gvr = gvr;
    this.cluster = cluster;
    this.namespace = namespace;
    this.fieldManager = fieldManager;
    this.signal = signal;
  }

  /** The same resource in one namespace. */
  inNamespace(namespace: string): ResourceClient<T> {
    if (!this.gvr.namespaced) throw new Error(`${this.gvr.resource} is not namespaced`);
    return new ResourceClient<T>(this.transport, this.gvr, this.cluster, namespace, this.fieldManager, this.signal);
  }

  /** The signal a call runs under: the client's and the call's, whichever fires first. */
  private callSignal(opts: CallOptions | undefined): { signal?: AbortSignal } {
    const signal = anySignal(this.signal, opts?.signal);
    return signal ? { signal } : {};
  }

  private collectionPath(): string {
    // '' = a plain Kubernetes server (no logical clusters): kube's own paths.
    const prefix = `${this.cluster === '' ? '' : `/clusters/${this.cluster ?? '*'}`}${apiPath(this.gvr)}`;
    return this.gvr.namespaced && this.namespace ? `${prefix}/namespaces/${encodeURIComponent(this.namespace)}/${this.gvr.resource}` : `${prefix}/${this.gvr.resource}`;
  }

  private itemPath(name: string, subresource?: string): string {
    if (this.cluster === undefined) throw new Error('the wildcard cluster supports only list and watch');
    if (this.gvr.namespaced && !this.namespace) throw new Error(`${this.gvr.resource} is namespaced: call inNamespace() first`);
    return `${this.collectionPath()}/${encodeURIComponent(name)}${subresource ? `/${subresource}` : ''}`;
  }

  get(name: string, opts?: CallOptions): Promise<T> {
    return this.transport.json<T>({ method: 'GET', path: this.itemPath(name), ...this.callSignal(opts) });
  }

  list(opts: ListOptions = {}): Promise<KubeList<T>> {
    const { signal: _signal, ...query } = opts;
    return this.transport.json<KubeList<T>>({ method: 'GET', path: this.collectionPath(), query, ...this.callSignal(opts) });
  }

  /** List every page (limit-sized) into one list at the first page's resourceVersion. */
  async listAll(opts: ListOptions = {}, pageSize = 500): Promise<KubeList<T>> {
    let first: KubeList<T> | undefined;
    let cont: string | undefined;
    do {
      const page = await this.list({ ...opts, limit: pageSize, ...(cont ? { continue: cont } : {}) });
      if (!first) first = page;
      else first.items.push(...page.items);
      cont = page.metadata.continue;
    } while (cont);
    delete first!.metadata.continue;
    return first!;
  }

  create(obj: T, opts?: WriteOptions): Promise<T> {
    return this.transport.json<T>({ method: 'POST', path: this.collectionPath(), query: writeQuery(opts, this.fieldManager), body: obj, ...this.callSignal(opts) });
  }

  update(obj: T, opts?: WriteOptions): Promise<T> {
    return this.transport.json<T>({ method: 'PUT', path: this.itemPath(obj.metadata.name ?? ''), query: writeQuery(opts, this.fieldManager), body: obj, ...this.callSignal(opts) });
  }

  updateStatus(obj: T, opts?: WriteOptions): Promise<T> {
    return this.transport.json<T>({ method: 'PUT', path: this.itemPath(obj.metadata.name ?? '', 'status'), query: writeQuery(opts, this.fieldManager), body: obj, ...this.callSignal(opts) });
  }

  patch(name: string, type: PatchType, patch: unknown, opts?: PatchOptions & { subresource?: string }): Promise<T> {
    return this.transport.json<T>({
      method: 'PATCH',
      path: this.itemPath(name, opts?.subresource),
      query: { ...writeQuery(opts, this.fieldManager), force: opts?.force ? 'true' : undefined },
      body: patch,
      contentType: PATCH_CONTENT_TYPES[type],
      ...this.callSignal(opts),
    });
  }

  patchStatus(name: string, type: PatchType, patch: unknown, opts?: PatchOptions): Promise<T> {
    return this.patch(name, type, patch, { ...opts, subresource: 'status' });
  }

  /** Server-side apply of a full configuration owned by `fieldManager`. */
  apply(obj: T, opts: { fieldManager?: string; force?: boolean; dryRun?: boolean } & CallOptions = {}): Promise<T> {
    return this.patch(obj.metadata.name ?? '', 'apply', obj, {
      fieldManager: opts.fieldManager ?? this.fieldManager,
      force: opts.force ?? false,
      dryRun: opts.dryRun ?? false,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  }

  /**
   * The reply is the object while finalizers hold it (and for custom resources), or, for a
   * built-in object that is gone at once, a Success Status naming it (as kube-apiserver).
   */
  delete(name: string, opts: DeleteOptions = {}): Promise<T | Status> {
    const body = { propagationPolicy: opts.propagationPolicy ?? 'Background', ...(opts.preconditions ? { preconditions: opts.preconditions } : {}), ...(opts.dryRun ? { dryRun: ['All'] } : {}) };
    return this.transport.json<T | Status>({ method: 'DELETE', path: this.itemPath(name), body, ...this.callSignal(opts) });
  }

  /** A watch stream; iterate it, abort via opts.signal. Ends when the server ends the stream. */
  watch(opts: WatchOptions = {}): AsyncGenerator<WatchEvent<T>> {
    const { signal: _signal, ...q } = opts;
    return this.transport.stream({
      method: 'GET',
      path: this.collectionPath(),
      query: { ...q, watch: 'true' },
      ...this.callSignal(opts),
    }) as AsyncGenerator<WatchEvent<T>>;
  }
}
