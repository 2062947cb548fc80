// kplane has no CustomResourceDefinition API, but kubectl asks for one in a single place:
// validating a `<Kind>List` file (kind: ConfigMapList) it finds no PATCH operation for that
// kind in OpenAPI and lists /apis/apiextensions.k8s.io/v1/customresourcedefinitions to see
// whether the kind is a CRD; a 404 there stops it with "failed to check CRD". Answering that
// one list with "no CRDs" (true: kplane's types are all built in) lets kubectl go on to
// validate the items against OpenAPI v2. Nothing else of the group is served or discovered.
import type { ResourceRequestInfo } from '../request/requestinfo.ts';

export function isCRDListRequest(info: ResourceRequestInfo): boolean {
  return info.group === 'apiextensions.k8s.io' && info.version === 'v1' && info.resource === 'customresourcedefinitions'
    && info.verb === 'list' && info.name === '' && info.namespace === '' && info.subresource === '';
}

export const EMPTY_CRD_LIST = { kind: 'CustomResourceDefinitionList', apiVersion: 'apiextensions.k8s.io/v1', metadata: {}, items: [] };
