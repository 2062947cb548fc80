// Package etcd is kplane's scale-out storage backend: storage.Storage on a real etcd v3
// cluster through the etcd3 client. See README.md beside this file.
import { Etcd3, type IOptions } from 'etcd3';
import { StorageError } from '../errors.ts';
import { KeySpace } from './key-space.ts';
import { EtcdStorage, type EtcdTuning } from './storage.ts';

export { EtcdStorage } from './storage.ts';
export type { EtcdTuning } from './storage.ts';

/** TLS to etcd. https:// endpoints without this option use the system's CA roots. */
export interface EtcdTlsOptions {
  /** PEM of the CA that signed the etcd servers' certificates (defaults to the system roots). */
  ca?: string | Buffer;
  /** PEM client certificate and key, when etcd requires client certificates. */
  cert?: string | Buffer;
  key?: string | Buffer;
}

export interface EtcdStorageOptions extends Partial<EtcdTuning> {
  /** Client URLs, e.g. ['http://127.0.0.1:2379']; https:// or a `tls` option turns TLS on. */
  endpoints: string[];
  /**
   * Namespace for every key ('/kplane-a' → '/kplane-a/registry/...'), so several kplane
   * installations or test runs can share one etcd. Defaults to '' (keys start at /registry).
   */
  prefix?: string;
  tls?: EtcdTlsOptions;
  auth?: { username: string; password: string };
  /** Deadline of each unary request; a request past it fails with Unavailable. Defaults to 15000 ms. */
  requestTimeoutMs?: number;
}

/** Connect to etcd and check it answers; fails with Unavailable (the client is closed again) if not. */
export async function openEtcdStorage(opts: EtcdStorageOptions): Promise<EtcdStorage> {
  if (opts.endpoints.length === 0) throw new StorageError('Unavailable', '', 'no etcd endpoints given');
  const keys = new KeySpace(opts.prefix ?? '');
  const client = new Etcd3(clientOptions(opts));
  const storage = new EtcdStorage(client, keys, {
    maxWatcherQueue: opts.maxWatcherQueue ?? 10_000,
    maxUpdateAttempts: opts.maxUpdateAttempts ?? 64,
    updateDeadlineMs: opts.updateDeadlineMs ?? opts.requestTimeoutMs ?? 15_000,
    closeGraceMs: opts.closeGraceMs ?? 2000,
  });
  try {
    await storage.currentRevision();
  } catch (err) {
    await storage.close();
    throw new StorageError('Unavailable', '', `etcd at ${opts.endpoints.join(',')} is not reachable: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return storage;
}

function clientOptions(opts: EtcdStorageOptions): IOptions {
  const timeout = opts.requestTimeoutMs ?? 15_000;
  const options: IOptions = {
    hosts: opts.endpoints,
    // grpc refuses replies over 4 MiB by default, yet a list of a few objects near the 1.5 MiB
    // object limit (or a watch reply batching several) is larger. Like kube-apiserver's etcd
    // client, accept any reply size: what bounds memory is the object limit and paging.
    grpcOptions: { 'grpc.max_receive_message_length': 2 ** 31 - 1 },
    // A deadline on every unary call so a hung etcd surfaces as Unavailable; never on
    // the watch stream, which lives as long as its watchers.
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + timeout }),
    faultHandling: {
      // etcd3 retries "recoverable" failures up to 3 times by default. A txn that timed out
      // may still have been applied, and retrying it would turn our own create into
      // KeyExists or our own update into Conflict; so no blind retries: the caller sees
      // Unavailable (transient) and decides. The per-host circuit breaker stays.
      global: passThroughPolicy,
    },
  };
  if (opts.tls) {
    options.credentials = {
      // etcd3 hands this to grpc's createSsl, where an absent root means the system roots.
      rootCertificate: (opts.tls.ca ? Buffer.from(opts.tls.ca) : undefined) as Buffer,
      ...(opts.tls.key ? { privateKey: Buffer.from(opts.tls.key) } : {}),
      ...(opts.tls.cert ? { certChain: Buffer.from(opts.tls.cert) } : {}),
    };
  }
  if (opts.auth) options.auth = { username: opts.auth.username, password: opts.auth.password };
  return options;
}

type GlobalPolicy = NonNullable<NonNullable<IOptions['faultHandling']>['global']>;

// The connection pool only ever calls execute(fn) on its global policy; a full cockatiel
// policy (a dependency of etcd3, not ours) is not needed to run fn once.
const passThroughPolicy = {
  execute: <T>(fn: (context: { attempt: number; signal: AbortSignal }) => T | Promise<T>) =>
    Promise.resolve(fn({ attempt: 0, signal: new AbortController().signal })),
} as unknown as GlobalPolicy;
