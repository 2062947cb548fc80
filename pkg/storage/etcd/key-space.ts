// Maps storage keys (/registry/...) to etcd keys under an optional instance prefix, so
// several kplane installations or test runs can share one etcd cluster without colliding:
//   prefix "/kplane-a" + key "/registry/core/secrets/root/ns/x" = "/kplane-a/registry/core/secrets/root/ns/x"
// Keys travel as bytes (etcd compares byte strings); storage keys are UTF-8 strings.

/** Key of a sentinel outside /registry used for revision and compaction probes; it is never written. */
const PROBE_SUFFIX = '/kplane-probe';

export class KeySpace {
  readonly prefix: string;

  /** prefix: '' (default) or a path such as '/kplane-a'; a trailing '/' is ignored. */
  constructor(prefix = '') {
    if (prefix !== '' && !prefix.startsWith('/')) {
      throw new Error(`etcd key prefix must start with '/', got ${JSON.stringify(prefix)}`);
    }
    this.prefix = prefix.replace(/\/+$/, '');
  }

  /** The etcd key of one storage key. */
  key(storageKey: string): Buffer {
    return Buffer.from(this.prefix + storageKey, 'utf8');
  }

  /** The storage key of an etcd key read back from etcd. */
  storageKey(etcdKey: Buffer): string {
    const full = etcdKey.toString('utf8');
    if (!full.startsWith(this.prefix)) throw new Error(`etcd key ${full} is outside prefix ${this.prefix}`);
    return full.slice(this.prefix.length);
  }

  /**
   * The etcd range [start, end) that a storage list or watch covers: a prefix ending in
   * '/' covers every key below it; anything else is the exact key (end undefined).
   */
  range(storagePrefix: string): { start: Buffer; end?: Buffer } {
    const start = this.key(storagePrefix);
    if (!storagePrefix.endsWith('/')) return { start };
    return { start, end: prefixRangeEnd(start) };
  }

  /** The never-written sentinel key used to read the current revision cheaply. */
  get probeKey(): Buffer {
    return Buffer.from(this.prefix + PROBE_SUFFIX, 'utf8');
  }
}

/** The smallest byte string greater than every string that starts with prefix (etcd's GetPrefixRangeEnd). */
export function prefixRangeEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i] = end[i]! + 1;
      return end.subarray(0, i + 1);
    }
  }
  // All 0xff: no upper bound; etcd spells "to the end of the key space" as a single NUL byte.
  return Buffer.from([0]);
}

/** The first key strictly after key in byte order (key + NUL), where a continued list resumes. */
export function keyAfter(key: Buffer): Buffer {
  return Buffer.concat([key, Buffer.from([0])]);
}
