// Serves the OpenAPI documents as bytes plus a content hash. Everything is computed once,
// on first use (zod → JSON Schema is not free), and never changes afterwards because the
// resource list is fixed at start-up.
//
// HTTP use (kube-openapi handler3 semantics):
//   GET /openapi/v3                    → v3Root().body
//   GET /openapi/v3/<key>?hash=H       → v3GroupVersion(key); if H matches, send
//        ETag "<hash>", Cache-Control: public, immutable, Expires +1y; if H is stale, 301 to
//        the current serverRelativeURL.
//   GET /openapi/v2                    → v2() as JSON, or v2Protobuf() for kubectl's protobuf
//        Accept (serveOpenAPIV2 in v2-http.ts negotiates).
import { createHash } from 'node:crypto';
import type { ResourceDefinition } from '../../../apis/resource.ts';
import { ALL_RESOURCES } from '../../../apis/index.ts';
import { buildV2Document, buildV3Root, groupVersionDocuments } from './documents.ts';
import type { JSONSchema } from './meta-schemas.ts';
import { encodeV2Document } from './v2proto.ts';

export interface ServedDocument {
  /** Serialised JSON, ready to write. */
  body: string;
  /** Uppercase hex SHA-512 of body, as kube-openapi computes it. */
  hash: string;
}

export function served(document: unknown): ServedDocument {
  const body = JSON.stringify(document);
  return { body, hash: createHash('sha512').update(body).digest('hex').toUpperCase() };
}

export class OpenAPIService {
  readonly #resources: ResourceDefinition[];
  #groupVersions?: Map<string, ServedDocument>;
  #root?: ServedDocument;
  #v2?: ServedDocument;
  #v2Protobuf?: Uint8Array;

  constructor(resources: ResourceDefinition[]) {
    this.#resources = resources;
  }

  /** `api/v1`, `apis/<g>/<v>`, … in the root's order. */
  groupVersionKeys(): string[] {
    return [...this.#documents().keys()].sort();
  }

  v3Root(): ServedDocument {
    this.#root ??= served(buildV3Root(new Map([...this.#documents()].map(([k, d]) => [k, d.hash]))));
    return this.#root;
  }

  /** The document for `key` (`apis/workload.kcp.io/v1alpha1`, `api/v1`), or undefined. */
  v3GroupVersion(key: string): ServedDocument | undefined {
    return this.#documents().get(key.replace(/^\/+|\/+$/g, ''));
  }

  v2(): ServedDocument {
    this.#v2 ??= served(buildV2Document(this.#resources));
    return this.#v2;
  }

  /** The same Swagger 2.0 document as gnostic's openapi_v2.Document protobuf. */
  v2Protobuf(): Uint8Array {
    this.#v2Protobuf ??= encodeV2Document(JSON.parse(this.v2().body) as JSONSchema);
    return this.#v2Protobuf;
  }

  #documents(): Map<string, ServedDocument> {
    if (!this.#groupVersions) {
      this.#groupVersions = new Map();
      for (const [key, doc] of groupVersionDocuments(this.#resources)) this.#groupVersions.set(key, served(doc));
    }
    return this.#groupVersions;
  }
}

let defaultService: OpenAPIService | undefined;

/** The shared service for ALL_RESOURCES (documents computed once per process). */
export function defaultOpenAPIService(): OpenAPIService {
  defaultService ??= new OpenAPIService(ALL_RESOURCES);
  return defaultService;
}
