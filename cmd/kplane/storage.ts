// Opens the storage backend `kplane start` was asked for. SQLite takes an exclusive lock on
// <root-dir>/kplane.db (one process); etcd takes no local lock, so several replicas may
// share one --root-dir (CA, sa.key, admin token) and one etcd key prefix.
import { readFileSync } from 'node:fs';
import type { Storage } from '../../pkg/storage/interface.ts';
// Types only: the etcd backend (and the etcd3 client with gRPC under it, ~35 MiB of RSS once
// loaded) is imported when --storage etcd asks for it, not by every SQLite server.
import type { EtcdStorageOptions } from '../../pkg/storage/etcd/index.ts';
import { openSqliteStorage } from '../../pkg/storage/sqlite/index.ts';
import type { StartOptions } from './options.ts';
import { CachingStorage, type CacherLogger } from '../../pkg/server/cacher/index.ts';
import { verifySharedObjectsFromEnv } from './test-hooks.ts';

/** Translate the --etcd-* flags into the etcd backend's options (files are read here). */
export function etcdOptionsFrom(o: StartOptions): EtcdStorageOptions {
  const endpoints = (o['etcd-servers'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const opts: EtcdStorageOptions = { endpoints, prefix: o['etcd-prefix'].replace(/\/+$/, '') };
  if (o['etcd-cafile'] || o['etcd-certfile']) {
    opts.tls = {
      ...(o['etcd-cafile'] ? { ca: readFileSync(o['etcd-cafile']) } : {}),
      ...(o['etcd-certfile'] ? { cert: readFileSync(o['etcd-certfile']) } : {}),
      ...(o['etcd-keyfile'] ? { key: readFileSync(o['etcd-keyfile']) } : {}),
    };
  }
  return opts;
}

/** The storage the Registry sees: behind the watch cache unless --watch-cache=false. */
export function withWatchCache(o: StartOptions, storage: Storage, logger: CacherLogger): Storage {
  return o['watch-cache'] ? new CachingStorage(storage, { logger, verifySharedObjects: verifySharedObjectsFromEnv(process.env) }) : storage;
}

export async function openStorage(o: StartOptions): Promise<Storage> {
  if (o.storage === 'etcd') {
    const { openEtcdStorage } = await import('../../pkg/storage/etcd/index.ts');
    return openEtcdStorage(etcdOptionsFrom(o));
  }
  return openSqliteStorage({ dir: o['root-dir'], fsync: o['sqlite-fsync'], verifyWrittenObjects: verifySharedObjectsFromEnv(process.env) });
}
