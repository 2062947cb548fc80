// JSON patch, RFC 6902 (Content-Type application/json-patch+json): add, remove, replace,
// move, copy and test, with RFC 6901 pointers (`~0` = `~`, `~1` = `/`, `-` = past the end).
// Behaviour and messages follow evanphx/json-patch v4 as vendored by the API server,
// including negative array indices counting from the end. Error kinds follow the
// apiserver patch handler: a body that is not a list of operations → 400, more than
// 10,000 operations → 413, anything that fails while applying (missing path, failed
// `test`, bad index, unknown op) → 422 Invalid.
import { PatchError } from './errors.ts';
import { deepClone, deepEqual, getOwn, isObject, JsonDepthError, setOwn } from './json-value.ts';
import type { JsonObject } from './json-value.ts';

export interface JsonPatchOperation {
  op: string;
  path?: unknown;
  from?: unknown;
  value?: unknown;
}

/** apiserver's maxJSONPatchOperations. */
export const MAX_JSON_PATCH_OPERATIONS = 10_000;
/**
 * Bounds what `copy` may duplicate in one patch, in (estimated) encoded bytes: stops 2^n
 * blow-ups and large strings copied many times alike. An object cannot be stored past 1.5 MiB
 * (pkg/storage MAX_OBJECT_BYTES), so copying more than that can only build something refused.
 */
export const MAX_COPIED_BYTES = 1536 * 1024;

const MISSING = ': missing value';
const BAD_INDEX = ': invalid index referenced';

/** Checks the outer shape (a list of objects with a string `op`); 400 otherwise. */
export function parseJsonPatch(ops: unknown): JsonPatchOperation[] {
  if (!Array.isArray(ops)) {
    throw new PatchError('BadRequest', `json: cannot unmarshal ${jsonTypeName(ops)} into Go value of type jsonpatch.Patch`);
  }
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new PatchError(
      'RequestEntityTooLarge',
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`,
    );
  }
  return ops.map((op) => {
    if (!isObject(op)) {
      throw new PatchError('BadRequest', `json: cannot unmarshal ${jsonTypeName(op)} into Go value of type jsonpatch.Operation`);
    }
    const kind = getOwn(op, 'op');
    const out: JsonPatchOperation = { op: typeof kind === 'string' ? kind : '' };
    if (Object.hasOwn(op, 'path')) out.path = op.path;
    if (Object.hasOwn(op, 'from')) out.from = op.from;
    if (Object.hasOwn(op, 'value')) out.value = op.value;
    return out;
  });
}

function jsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : 'bool';
}

/** Applies the operations in order to a copy of `doc`; all-or-nothing. */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  const operations = parseJsonPatch(ops);
  try {
    const state = new PatchState(doc);
    for (const op of operations) state.apply(op);
    return state.root;
  } catch (err) {
    if (err instanceof JsonDepthError) throw new PatchError('Invalid', err.message);
    throw err;
  }
}

type Container = JsonObject | unknown[];

function decodePointer(path: string): string[] | undefined {
  if (path === '') return [];
  if (!path.startsWith('/')) return undefined;
  return path
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** strconv.Atoi-like: optional sign, decimal digits, within safe integers. */
function parseIndex(token: string): number | undefined {
  if (!/^[+-]?\d{1,15}$/.test(token)) return undefined;
  return Number(token);
}

/** Iterative node count (no recursion), stopping once past `limit`. */
/** Estimated JSON size of v in bytes, counted iteratively and only until it passes `limit`. */
function encodedSize(v: unknown, limit: number): number {
  let n = 0;
  const stack: unknown[] = [v];
  while (stack.length > 0 && n <= limit) {
    const x = stack.pop();
    if (typeof x === 'string') n += x.length + 2;
    else if (Array.isArray(x)) {
      n += 1 + x.length;
      for (const item of x) stack.push(item);
    } else if (isObject(x)) {
      n += 1;
      for (const k of Object.keys(x)) {
        n += k.length + 4;
        stack.push(x[k]);
      }
    } else n += x === null || typeof x === 'boolean' ? 5 : String(x).length;
  }
  return n;
}

/**
 * Copy-on-write: the document is never modified. An operation that writes copies only the
 * containers on its path (each once per patch); everything else stays shared with the input,
 * as a merge patch shares what it leaves alone. A Lease renewal (test the uid, set renewTime)
 * copied the whole object before; now it copies the root and spec, and what follows the patch
 * (the no-op check, admission's reuse of the untouched metadata, ownership's compare) skips
 * what is still the stored object's own.
 */
class PatchState {
  root: unknown;
  private copied = 0;
  /** Containers this patch made (copies of the input's): free to modify. */
  private readonly own = new WeakSet<object>();

  constructor(root: unknown) {
    this.root = root;
  }

  apply(op: JsonPatchOperation): void {
    switch (op.op) {
      case 'add':
        return this.add(op);
      case 'remove':
        return this.remove(op);
      case 'replace':
        return this.replace(op);
      case 'move':
        return this.move(op);
      case 'copy':
        return this.copy(op);
      case 'test':
        return this.test(op);
      default:
        throw invalid(`Unexpected kind: ${op.op}`);
    }
  }

  /**
   * The container that holds the last token of `path`, walking existing values only. For an
   * operation that writes (`write`), every container on the way is made this patch's own copy.
   */
  private parentOf(path: string, write = false): { container: Container; key: string } | undefined {
    const tokens = decodePointer(path);
    if (tokens === undefined || tokens.length === 0) return undefined;
    if (write) this.root = this.owned(this.root);
    let node: unknown = this.root;
    for (const token of tokens.slice(0, -1)) {
      const child = childOf(node, token);
      if (child === undefined) return undefined;
      const next = write ? this.owned(child) : child;
      if (next !== child) replaceChild(node as Container, token, next);
      node = next;
    }
    if (!Array.isArray(node) && !isObject(node)) return undefined;
    return { container: node, key: tokens[tokens.length - 1] ?? '' };
  }

  /** `value` if it is a scalar or already this patch's; otherwise a shallow copy, now this patch's. */
  private owned(value: unknown): unknown {
    if (typeof value !== 'object' || value === null || this.own.has(value)) return value;
    // Spread defines own data properties, so an own "__proto__" key stays plain data.
    const copy = Array.isArray(value) ? value.slice() : { ...(value as JsonObject) };
    this.own.add(copy);
    return copy;
  }

  private add(op: JsonPatchOperation): void {
    const path = pathOf(op, 'add');
    const value = deepClone(op.value ?? null);
    if (path === '') {
      this.root = value;
      return;
    }
    const parent = this.parentOf(path, true);
    if (parent === undefined) throw invalid(`add operation does not apply: doc is missing path: "${path}"${MISSING}`);
    const fail = (detail: string) => invalid(`error in add for path: '${path}': ${detail}`);
    insert(parent.container, parent.key, value, fail);
  }

  private remove(op: JsonPatchOperation): void {
    const path = pathOf(op, 'remove');
    const parent = this.parentOf(path, true);
    if (parent === undefined) throw invalid(`remove operation does not apply: doc is missing path: "${path}"${MISSING}`);
    takeOut(parent.container, parent.key, (d) => invalid(`error in remove for path: '${path}': ${d}`));
  }

  private replace(op: JsonPatchOperation): void {
    const path = pathOf(op, 'replace');
    const value = deepClone(op.value ?? null);
    if (path === '') {
      this.root = value;
      return;
    }
    const parent = this.parentOf(path, true);
    if (parent === undefined) throw invalid(`replace operation does not apply: doc is missing path: ${path}${MISSING}`);
    const { container, key } = parent;
    if (Array.isArray(container)) {
      const idx = arrayIndex(container, key, false);
      if (idx === undefined) throw invalid(`error in remove for path: '${path}': Unable to access invalid index: ${key}${BAD_INDEX}`);
      container[idx] = value;
      return;
    }
    if (!Object.hasOwn(container, key)) throw invalid(`replace operation does not apply: doc is missing key: ${path}${MISSING}`);
    setOwn(container, key, value);
  }

  private move(op: JsonPatchOperation): void {
    const from = fromOf(op, 'move');
    const path = pathOf(op, 'move');
    if (from === path) return;
    const source = this.parentOf(from, true);
    if (source === undefined) throw invalid(`move operation does not apply: doc is missing from path: ${from}${MISSING}`);
    const value = takeOut(source.container, source.key, (d) => invalid(`error in move for path: '${source.key}': ${d}`));
    const target = this.parentOf(path, true);
    if (target === undefined) throw invalid(`move operation does not apply: doc is missing destination path: ${path}${MISSING}`);
    insert(target.container, target.key, value, (d) => invalid(`error in move for path: '${path}': ${d}`));
  }

  private copy(op: JsonPatchOperation): void {
    const from = fromOf(op, 'copy');
    const path = pathOf(op, 'copy');
    const source = this.parentOf(from);
    let value: unknown;
    if (from === '') value = this.root;
    else {
      if (source === undefined) throw invalid(`copy operation does not apply: doc is missing from path: ${from}${MISSING}`);
      value = peek(source.container, source.key, (d) => invalid(`error in copy for from: '${from}': ${d}`));
    }
    this.copied += encodedSize(value, MAX_COPIED_BYTES);
    if (this.copied > MAX_COPIED_BYTES) {
      throw invalid(`Unable to complete the copy, the accumulated size increase of copy is ${this.copied}, exceeding the limit ${MAX_COPIED_BYTES}`);
    }
    const target = this.parentOf(path, true);
    if (target === undefined) throw invalid(`copy operation does not apply: doc is missing destination path: ${path}${MISSING}`);
    insert(target.container, target.key, deepClone(value), (d) => invalid(`error while adding value during copy: ${d}`));
  }

  private test(op: JsonPatchOperation): void {
    const path = pathOf(op, 'test');
    const expected = op.value ?? null;
    const failed = () => new PatchError('Invalid', `testing value ${path} failed: test failed`, path);
    if (path === '') {
      if (!deepEqual(this.root, expected)) throw failed();
      return;
    }
    const parent = this.parentOf(path);
    if (parent === undefined) throw invalid(`test operation does not apply: is missing path: ${path}${MISSING}`);
    const actual = childOf(parent.container, parent.key);
    // As evanphx: an absent value passes a test for null.
    if (actual === undefined) {
      if (expected !== null) throw failed();
      return;
    }
    if (!deepEqual(actual, expected)) throw failed();
  }
}

function invalid(message: string): PatchError {
  return new PatchError('Invalid', message);
}

function pathOf(op: JsonPatchOperation, kind: string): string {
  if (typeof op.path !== 'string') throw invalid(`${kind} operation failed to decode path${MISSING}`);
  return op.path;
}

function fromOf(op: JsonPatchOperation, kind: string): string {
  if (typeof op.from !== 'string') throw invalid(`${kind} operation failed to decode from${MISSING}`);
  return op.from;
}

/** Index into an existing element (or, with `forInsert`, the slot before it / past the end). */
function arrayIndex(arr: unknown[], key: string, forInsert: boolean): number | undefined {
  const limit = forInsert ? arr.length + 1 : arr.length;
  if (forInsert && key === '-') return arr.length;
  let idx = parseIndex(key);
  if (idx === undefined) return undefined;
  if (idx < 0) {
    if (idx < -arr.length) return undefined;
    idx += arr.length;
  }
  return idx < limit ? idx : undefined;
}

function childOf(node: unknown, token: string): unknown {
  if (Array.isArray(node)) {
    const idx = arrayIndex(node, token, false);
    return idx === undefined ? undefined : node[idx];
  }
  if (isObject(node)) return getOwn(node, token);
  return undefined;
}

/** Put `value` where childOf(node, token) found the value it replaces. */
function replaceChild(node: Container, token: string, value: unknown): void {
  if (Array.isArray(node)) node[arrayIndex(node, token, false)!] = value;
  else setOwn(node, token, value);
}

function peek(container: Container, key: string, fail: (d: string) => PatchError): unknown {
  if (Array.isArray(container)) {
    const idx = arrayIndex(container, key, false);
    if (idx === undefined) throw fail(`Unable to access invalid index: ${key}${BAD_INDEX}`);
    return container[idx];
  }
  if (!Object.hasOwn(container, key)) throw fail(`unable to get nonexistent key: ${key}${MISSING}`);
  return container[key];
}

function insert(container: Container, key: string, value: unknown, fail: (d: string) => PatchError): void {
  if (Array.isArray(container)) {
    const idx = arrayIndex(container, key, true);
    if (idx === undefined) throw fail(`Unable to access invalid index: ${key}${BAD_INDEX}`);
    container.splice(idx, 0, value);
    return;
  }
  setOwn(container, key, value);
}

function takeOut(container: Container, key: string, fail: (d: string) => PatchError): unknown {
  if (Array.isArray(container)) {
    const idx = arrayIndex(container, key, false);
    if (idx === undefined) throw fail(`Unable to access invalid index: ${key}${BAD_INDEX}`);
    return container.splice(idx, 1)[0];
  }
  if (!Object.hasOwn(container, key)) throw fail(`Unable to remove nonexistent key: ${key}${MISSING}`);
  const value = container[key];
  delete container[key];
  return value;
}
