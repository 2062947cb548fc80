// The REST surface of one resource as a neutral model (paths, operations, parameters,
// bodies), rendered later as OpenAPI v3 and Swagger 2.0. Shapes follow what the real
// apiserver publishes: collection get(list)/post/delete(collection), item get/put/patch/
// delete, `/status` get/put/patch, and for namespaced kinds an all-namespaces list.
import type { ResourceDefinition } from '../../../apis/resource.ts';
import { DELETE_OPTIONS_DEFINITION, PATCH_DEFINITION, STATUS_DEFINITION } from './meta-schemas.ts';
import { definitionName, groupVersionPrefix, listDefinitionName, operationId } from './names.ts';
import { DELETE_PARAMS, LIST_PARAMS, PARAMS, PATCH_PARAMS, WRITE_PARAMS, type ParameterSpec } from './parameters.ts';

export type HttpMethod = 'get' | 'put' | 'post' | 'patch' | 'delete';

export interface GVK {
  group: string;
  version: string;
  kind: string;
}

export interface OperationSpec {
  method: HttpMethod;
  /** x-kubernetes-action: get, list, post, put, patch, delete, deletecollection. */
  action: string;
  operationId: string;
  description: string;
  parameters: ParameterSpec[];
  /** Definition name of the request body; patches use the Patch definition with patch media types. */
  body?: { definition: string; /** Set for PATCH: the accepted patch media types. */ patchContentTypes?: string[] };
  /** HTTP code → definition name of the response body. */
  responses: Array<[string, string]>;
  gvk: GVK;
}

export interface PathSpec {
  path: string;
  /** Path-level parameters ({name}, {namespace}, pretty). */
  parameters: ParameterSpec[];
  operations: OperationSpec[];
}

/** Patch media types; strategic merge only for built-in types, or kubectl would send it for ours. */
export function patchContentTypes(def: Pick<ResourceDefinition, 'strategicMergePatch'>): string[] {
  const types = ['application/json-patch+json', 'application/merge-patch+json'];
  if (def.strategicMergePatch) types.push('application/strategic-merge-patch+json');
  types.push('application/apply-patch+yaml');
  return types;
}

export function resourcePaths(def: ResourceDefinition): PathSpec[] {
  const gvk: GVK = { group: def.group, version: def.version, kind: def.kind };
  const kindRef = definitionName(def);
  const listRef = listDefinitionName(def);
  const ns = def.namespaced;
  const prefix = groupVersionPrefix(def);
  const collection = ns ? `${prefix}/namespaces/{namespace}/${def.plural}` : `${prefix}/${def.plural}`;
  const scopeParams = ns ? [PARAMS.namespace] : [];
  const can = (verb: string) => def.verbs.includes(verb);
  const op = (o: Omit<OperationSpec, 'gvk' | 'operationId'> & { idVerb: string; idSuffix?: string; namespaced?: boolean }): OperationSpec => {
    const { idVerb, idSuffix, namespaced, ...rest } = o;
    return { ...rest, gvk, operationId: operationId(idVerb, def, { namespaced: namespaced ?? ns, suffix: idSuffix }) };
  };
  const plural = def.plural;
  const paths: PathSpec[] = [];

  const collectionOps: OperationSpec[] = [];
  if (can('list')) collectionOps.push(op({ method: 'get', action: 'list', idVerb: 'list', description: `list or watch objects of kind ${def.kind}`, parameters: LIST_PARAMS, responses: [['200', listRef], ['401', STATUS_DEFINITION]] }));
  if (can('create')) collectionOps.push(op({ method: 'post', action: 'post', idVerb: 'create', description: `create ${article(def.kind)}`, parameters: WRITE_PARAMS, body: { definition: kindRef }, responses: [['200', kindRef], ['201', kindRef], ['202', kindRef], ['401', STATUS_DEFINITION]] }));
  if (can('deletecollection')) collectionOps.push(op({ method: 'delete', action: 'deletecollection', idVerb: 'deleteCollection', description: `delete collection of ${def.kind}`, parameters: [...LIST_PARAMS.filter((p) => p.name !== 'watch' && p.name !== 'allowWatchBookmarks'), ...DELETE_PARAMS], body: { definition: DELETE_OPTIONS_DEFINITION }, responses: [['200', STATUS_DEFINITION], ['401', STATUS_DEFINITION]] }));
  if (collectionOps.length > 0) paths.push({ path: collection, parameters: [...scopeParams, PARAMS.pretty], operations: collectionOps });

  const itemOps: OperationSpec[] = [];
  if (can('get')) itemOps.push(op({ method: 'get', action: 'get', idVerb: 'read', description: `read the specified ${def.kind}`, parameters: [], responses: [['200', kindRef], ['401', STATUS_DEFINITION]] }));
  if (can('update')) itemOps.push(op({ method: 'put', action: 'put', idVerb: 'replace', description: `replace the specified ${def.kind}`, parameters: WRITE_PARAMS, body: { definition: kindRef }, responses: [['200', kindRef], ['201', kindRef], ['401', STATUS_DEFINITION]] }));
  if (can('patch')) itemOps.push(op({ method: 'patch', action: 'patch', idVerb: 'patch', description: `partially update the specified ${def.kind}`, parameters: PATCH_PARAMS, body: { definition: PATCH_DEFINITION, patchContentTypes: patchContentTypes(def) }, responses: [['200', kindRef], ['201', kindRef], ['401', STATUS_DEFINITION]] }));
  if (can('delete')) itemOps.push(op({ method: 'delete', action: 'delete', idVerb: 'delete', description: `delete ${article(def.kind)}`, parameters: DELETE_PARAMS, body: { definition: DELETE_OPTIONS_DEFINITION }, responses: [['200', kindRef], ['202', kindRef], ['401', STATUS_DEFINITION]] }));
  if (itemOps.length > 0) paths.push({ path: `${collection}/{name}`, parameters: [PARAMS.name, ...scopeParams, PARAMS.pretty], operations: itemOps });

  if (def.subresources.status && !def.virtual) {
    paths.push({
      path: `${collection}/{name}/status`,
      parameters: [PARAMS.name, ...scopeParams, PARAMS.pretty],
      operations: [
        op({ method: 'get', action: 'get', idVerb: 'read', idSuffix: 'Status', description: `read status of the specified ${def.kind}`, parameters: [], responses: [['200', kindRef], ['401', STATUS_DEFINITION]] }),
        op({ method: 'put', action: 'put', idVerb: 'replace', idSuffix: 'Status', description: `replace status of the specified ${def.kind}`, parameters: WRITE_PARAMS, body: { definition: kindRef }, responses: [['200', kindRef], ['201', kindRef], ['401', STATUS_DEFINITION]] }),
        op({ method: 'patch', action: 'patch', idVerb: 'patch', idSuffix: 'Status', description: `partially update status of the specified ${def.kind}`, parameters: PATCH_PARAMS, body: { definition: PATCH_DEFINITION, patchContentTypes: patchContentTypes(def) }, responses: [['200', kindRef], ['201', kindRef], ['401', STATUS_DEFINITION]] }),
      ],
    });
  }

  if (ns && can('list')) {
    paths.push({
      path: `${prefix}/${plural}`,
      parameters: [PARAMS.pretty],
      operations: [op({ method: 'get', action: 'list', idVerb: 'list', idSuffix: 'ForAllNamespaces', namespaced: false, description: `list or watch objects of kind ${def.kind}`, parameters: LIST_PARAMS, responses: [['200', listRef], ['401', STATUS_DEFINITION]] })],
    });
  }
  return paths;
}

function article(kind: string): string {
  return /^[AEIOU]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}
