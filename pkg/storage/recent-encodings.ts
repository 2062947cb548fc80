// The stored JSON of objects a backend has just handed out, so that whoever encodes such an
// object again (the writer's answer, the watch line of its event) can splice the revision into
// the bytes already made instead of running JSON.stringify over the whole object a second and
// third time (~3 % of a status write's CPU each, issue 15). The stored bytes are the object's
// JSON without metadata.resourceVersion (object-codec.ts); the splice puts it first in metadata.
// Key order inside an object means nothing to a JSON reader, and the content is the same.
//
// Held weakly and briefly: two generations of WeakMaps, the older dropped after `perGeneration`
// remembered objects, so an object never asked for (a watch-cache copy nobody watches) keeps
// its bytes for at most two generations of writes, and no entry keeps its object alive. 256 a
// generation: an answer or watch line asks within moments of the write, and the strings kept
// for copies the watch cache holds (a few KiB each) stay under ~1.5 MiB when the server idles.
import { isDeepStrictEqual } from 'node:util';
import type { StoredObject } from './interface.ts';

interface Entry {
  json: string;
  /** Check on use that the splice decodes to the object (tests: verifyWrittenObjects). */
  verify: boolean;
}

export class RecentEncodings {
  readonly #perGeneration: number;
  #young = new WeakMap<object, Entry>();
  #old = new WeakMap<object, Entry>();
  #count = 0;

  constructor(perGeneration: number) {
    if (!Number.isInteger(perGeneration) || perGeneration < 1) throw new RangeError(`perGeneration must be a positive integer, got ${perGeneration}`);
    this.#perGeneration = perGeneration;
  }

  /** `obj` (handed out with its resourceVersion set) is what `storedJson` encodes. */
  remember(obj: StoredObject, storedJson: string, verify = false): void {
    if (++this.#count > this.#perGeneration) {
      this.#old = this.#young;
      this.#young = new WeakMap();
      this.#count = 1;
    }
    this.#young.set(obj, { json: storedJson, verify });
  }

  /**
   * `obj`'s JSON when its stored bytes are known and in the shape every admitted object has
   * (apiVersion and kind first, then metadata); undefined otherwise (encode it as usual).
   */
  jsonOf(obj: object): string | undefined {
    const entry = this.#young.get(obj) ?? this.#old.get(obj);
    if (entry === undefined) return undefined;
    const json = withResourceVersion(entry.json, obj as StoredObject);
    if (json !== undefined && entry.verify && !isDeepStrictEqual(JSON.parse(json), JSON.parse(JSON.stringify(obj)))) {
      throw new Error('the stored bytes remembered for an object do not encode it');
    }
    return json;
  }
}

/**
 * `storedJson` with `"resourceVersion":"<rv>"` as the first key of metadata, where `obj` is the
 * object it encodes (its apiVersion, kind and resourceVersion are read); undefined when the
 * bytes do not start `{"apiVersion":…,"kind":…,"metadata":{` exactly as `obj`'s own values
 * encode, so that the place of metadata is known without parsing.
 */
export function withResourceVersion(storedJson: string, obj: StoredObject): string | undefined {
  const rv = obj.metadata?.resourceVersion;
  if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string' || typeof rv !== 'string') return undefined;
  const head = `{"apiVersion":${JSON.stringify(obj.apiVersion)},"kind":${JSON.stringify(obj.kind)},"metadata":{`;
  if (!storedJson.startsWith(head)) return undefined;
  const rest = storedJson.slice(head.length);
  return `${head}"resourceVersion":${JSON.stringify(rv)}${rest.startsWith('}') ? '' : ','}${rest}`;
}

/** The process's registry: the SQLite backend remembers, the API server's encoders ask. */
export const recentEncodings = new RecentEncodings(256);
