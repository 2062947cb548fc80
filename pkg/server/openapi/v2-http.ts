// GET /openapi/v2 with kube-openapi's content negotiation: JSON for `application/json`,
// `*/*` or no Accept; gnostic protobuf for either spelling of the protobuf media type
// (kubectl sends the `@v1.0` one and is answered with the `.v1.0` Content-Type, as kube
// does); anything else is 406. The first acceptable range in the header wins.
import type { ServerResponse } from 'node:http';
import { StatusError } from '../../apierrors/errors.ts';
import { parseAccept } from '../httpx/negotiate.ts';
import type { OpenAPIService } from './service.ts';

const PROTOBUF_TYPES = new Set(['application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf']);
const PROTOBUF_REPLY_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
const JSON_TYPES = new Set(['application/json', 'application/*', '*/*']);

export function v2Form(accept: string | undefined): 'json' | 'protobuf' | undefined {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return 'json';
  for (const r of ranges) {
    if (r.params.q === '0') continue;
    if (PROTOBUF_TYPES.has(r.type)) return 'protobuf';
    if (JSON_TYPES.has(r.type)) return 'json';
  }
  return undefined;
}

export function serveOpenAPIV2(accept: string | undefined, res: ServerResponse, openapi: OpenAPIService): void {
  const form = v2Form(accept);
  if (form === undefined) {
    throw new StatusError('NotAcceptable', `only the following media types are accepted: application/json, ${[...PROTOBUF_TYPES].join(', ')}`);
  }
  const doc = openapi.v2();
  const body = form === 'json' ? Buffer.from(doc.body) : openapi.v2Protobuf();
  res.statusCode = 200;
  res.setHeader('Content-Type', form === 'json' ? 'application/json' : PROTOBUF_REPLY_TYPE);
  res.setHeader('ETag', `"${doc.hash}"`);
  res.setHeader('Vary', 'Accept');
  res.setHeader('Content-Length', body.length);
  res.end(body);
}
