// Small helpers for JSON documents that arrive from untrusted clients. Property access goes
// through own-property checks and writes through defineProperty, so keys such as
// `__proto__` stay plain data and can never reach a prototype. Recursion is depth-bounded
// so that a hostile, deeply nested document yields a typed error rather than a stack overflow.

export type JsonObject = Record<string, unknown>;

/** Deeper than any real Kubernetes object; bounds recursion in every walker. */
export const MAX_JSON_DEPTH = 512;

export class JsonDepthError extends Error {
  constructor() {
    super(`document nested deeper than ${MAX_JSON_DEPTH} levels`);
    this.name = 'JsonDepthError';
  }
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function hasOwn(obj: JsonObject, key: string): boolean {
  return Object.hasOwn(obj, key);
}

export function getOwn(obj: JsonObject, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

export function setOwn(obj: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

export function deleteOwn(obj: JsonObject, key: string): void {
  if (Object.hasOwn(obj, key)) delete obj[key];
}

export function checkDepth(depth: number): void {
  if (depth > MAX_JSON_DEPTH) throw new JsonDepthError();
}

/** Deep copy of JSON data; functions, symbols and class instances are not expected here. */
export function deepClone<T>(value: T, depth = 0): T {
  checkDepth(depth);
  if (Array.isArray(value)) return value.map((v) => deepClone(v, depth + 1)) as T;
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const k of Object.keys(value)) setOwn(out, k, deepClone(value[k], depth + 1));
    return out as T;
  }
  return value;
}

/** Structural equality of JSON values (key order ignored, array order significant). */
export function deepEqual(a: unknown, b: unknown, depth = 0): boolean {
  checkDepth(depth);
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i], depth + 1)) return false;
    return true;
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ak = Object.keys(a);
    if (ak.length !== Object.keys(b).length) return false;
    for (const k of ak) {
      if (!Object.hasOwn(b, k) || !deepEqual(a[k], b[k], depth + 1)) return false;
    }
    return true;
  }
  return false;
}

/** JSON text with object keys sorted at every level: stable bytes for identity and hashing. */
export function canonicalJson(value: unknown, depth = 0): string {
  checkDepth(depth);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, depth + 1)).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k], depth + 1)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
