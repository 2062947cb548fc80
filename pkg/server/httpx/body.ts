// Reading request bodies safely: a hard size limit (413), a read deadline (408: a client that
// trickles its body cannot hold a request open), a nesting-depth limit for JSON and YAML alike
// (so that no recursive walker downstream can be driven into a stack overflow) and strict
// decoding with 400/415 answers — never a crash, never a half-parsed object.
//
// readBody never leaves the stream in a "discard forever" state: when it gives up (too large,
// too slow) it stops listening, and the serving layer (httpx/linger.ts) decides, once the
// answer is written, how much of the rest to drain before closing the connection.
import type { IncomingMessage } from 'node:http';
import YAML from 'yaml';
import { newBadRequest, StatusError } from '../../apierrors/errors.ts';

/** kube-apiserver's limit for a request body. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;
/** Deeper documents are refused before (JSON) or right after (YAML) parsing. */
export const MAX_JSON_DEPTH = 512;
/** How long a client may take to send a body once the handler asks for it. */
export const DEFAULT_BODY_TIMEOUT_MS = 30_000;

let bodyTimeoutMs = DEFAULT_BODY_TIMEOUT_MS;

/** Process-wide body-read deadline (`kplane start --request-body-timeout`). */
export function setBodyTimeout(ms: number): void {
  if (!(ms > 0)) throw new Error(`body timeout must be positive, got ${ms}`);
  bodyTimeoutMs = ms;
}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES, timeoutMs = bodyTimeoutMs): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) return Promise.reject(tooLarge(limit));
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0)); // already read to the end (never twice)
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (err: StatusError | undefined): void => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (err) {
        // Stop pulling: what is left is the serving layer's to drain or cut (linger.ts).
        req.pause();
        reject(err);
      } else {
        resolve(Buffer.concat(chunks, size));
      }
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) return finish(tooLarge(limit));
      chunks.push(chunk);
    };
    const onEnd = (): void => finish(undefined);
    const onError = (err: Error): void => finish(newBadRequest(`reading the request body failed: ${err.message}`));
    const onAborted = (): void => finish(newBadRequest('the client aborted the request body'));
    const timer = setTimeout(
      () => finish(new StatusError('Timeout', `the request body was not received within ${Math.round(timeoutMs / 1000)}s`, undefined, 408)),
      timeoutMs,
    );
    timer.unref();
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('aborted', onAborted);
  });
}

function tooLarge(limit: number): StatusError {
  return new StatusError('RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
}

/** Media type without parameters, lower-cased: "application/json". */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Depth of the deepest nesting of [ and { outside strings. Cheap, linear, no recursion. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/**
 * Depth of a decoded value, walked iteratively (no recursion to overflow), stopping as soon
 * as `limit` is passed. YAML block nesting is indentation, which jsonDepth cannot see.
 */
export function valueDepth(v: unknown, limit = MAX_JSON_DEPTH): number {
  let max = 0;
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length > 0) {
    const [x, d] = stack.pop()!;
    if (typeof x !== 'object' || x === null) continue;
    const depth = d + 1;
    if (depth > max) {
      max = depth;
      if (max > limit) return max;
    }
    for (const child of Array.isArray(x) ? x : Object.values(x)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth]);
    }
  }
  return max;
}

function tooDeep(): StatusError {
  return newBadRequest(`request body nests deeper than ${MAX_JSON_DEPTH} levels`);
}

export function parseJSON(text: string): unknown {
  if (jsonDepth(text) > MAX_JSON_DEPTH) throw tooDeep();
  try {
    return JSON.parse(text);
  } catch (err) {
    throw newBadRequest(`the body of the request could not be decoded as JSON: ${(err as Error).message}`);
  }
}

export function parseYAML(text: string): unknown {
  if (jsonDepth(text) > MAX_JSON_DEPTH) throw tooDeep();
  // JSON is YAML, and most clients (kubectl, client-node) send apply patches as JSON: the
  // native parser is far cheaper than a YAML parse. Anything JSON.parse rejects goes to YAML.
  if (text.trimStart().startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch {
      // not JSON after all (e.g. a YAML flow mapping): parse it as YAML below
    }
  }
  let value: unknown;
  try {
    const docs = YAML.parseAllDocuments(text);
    if (!Array.isArray(docs)) throw new Error('could not parse YAML');
    if (docs.length !== 1) throw new Error(`expected exactly one YAML document, got ${docs.length}`);
    const doc = docs[0]!;
    if (doc.errors.length > 0) throw new Error(doc.errors[0]!.message);
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // A block-nested document deep enough to exhaust the parser's stack lands here too (RangeError).
    if (err instanceof RangeError) throw tooDeep();
    throw newBadRequest(`the body of the request could not be decoded as YAML: ${(err as Error).message}`);
  }
  if (valueDepth(value) > MAX_JSON_DEPTH) throw tooDeep();
  return value;
}

/** A decoded body must be a JSON object (not an array, string or null). */
export function requireObject(v: unknown, what = 'request body'): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw newBadRequest(`${what} must be a JSON object`);
  }
  return v as Record<string, unknown>;
}
