// Package openapi generates OpenAPI v3 (per group-version, plus the hashed root) and a
// Swagger 2.0 document (JSON, and gnostic protobuf for kubectl) from the zod schemas in
// apis/. See service.ts for HTTP use; v2-http.ts serves /openapi/v2.
export { OpenAPIService, defaultOpenAPIService, served } from './service.ts';
export type { ServedDocument } from './service.ts';
export { buildV3GroupVersionDocument, buildV3Root, buildV2Document, groupVersionDocuments } from './documents.ts';
export { definitionName, listDefinitionName, groupVersionPathKey, definitionPrefix } from './names.ts';
export { patchContentTypes, resourcePaths } from './paths.ts';
export { serveOpenAPIV2 } from './v2-http.ts';
export { encodeV2Document } from './v2proto.ts';
