// Reading request bodies safely: a hard size limit (413), a nesting-depth limit (so that
// no recursive walker downstream can be driven into a stack overflow) and strict decoding
// with 400/415 answers — never a crash, never a half-parsed object.
import type { IncomingMessage } from 'node:http';
import YAML from 'yaml';
import { newBadRequest, StatusError } from '../../apierrors/errors.ts';

/** kube-apiserver's limit for a request body. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;
/** Deeper documents are refused before parsing. */
export const MAX_JSON_DEPTH = 512;

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) {
    req.resume(); // drain so the connection can answer
    throw tooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      req.resume();
      throw tooLarge(limit);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): StatusError {
  return new StatusError('RequestEntityTooLarge', `the request body is too large: limit is ${limit} bytes`);
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

export function parseJSON(text: string): unknown {
  if (jsonDepth(text) > MAX_JSON_DEPTH) throw newBadRequest(`request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw newBadRequest(`the body of the request could not be decoded as JSON: ${(err as Error).message}`);
  }
}

export function parseYAML(text: string): unknown {
  if (jsonDepth(text) > MAX_JSON_DEPTH) throw newBadRequest(`request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  // JSON is YAML, and most clients (kubectl, client-node) send apply patches as JSON: the
  // native parser is far cheaper than a YAML parse. Anything JSON.parse rejects goes to YAML.
  if (text.trimStart().startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch {
      // not JSON after all (e.g. a YAML flow mapping): parse it as YAML below
    }
  }
  try {
    const docs = YAML.parseAllDocuments(text);
    if (Array.isArray(docs)) {
      if (docs.length !== 1) throw new Error(`expected exactly one YAML document, got ${docs.length}`);
      const doc = docs[0]!;
      if (doc.errors.length > 0) throw new Error(doc.errors[0]!.message);
      return doc.toJS({ maxAliasCount: 100 });
    }
    throw new Error('could not parse YAML');
  } catch (err) {
    throw newBadRequest(`the body of the request could not be decoded as YAML: ${(err as Error).message}`);
  }
}

/** A decoded body must be a JSON object (not an array, string or null). */
export function requireObject(v: unknown, what = 'request body'): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw newBadRequest(`${what} must be a JSON object`);
  }
  return v as Record<string, unknown>;
}
