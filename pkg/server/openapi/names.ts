// Naming rules shared by the OpenAPI documents: Kubernetes definition names (reverse-domain,
// `io.k8s.api.core.v1.ConfigMap`, `io.kcp.workload.v1alpha1.SyncTarget`), group-version
// path keys (`api/v1`, `apis/<g>/<v>`) and kube-style operation ids.
import type { ResourceDefinition } from '../../../apis/resource.ts';

type GV = Pick<ResourceDefinition, 'group' | 'version'>;

const K8S_SUFFIX = '.k8s.io';

/** Definition-name prefix for a group-version, as kube-openapi names Go packages. */
export function definitionPrefix({ group, version }: GV): string {
  if (group === '') return `io.k8s.api.core.${version}`;
  if (group.endsWith(K8S_SUFFIX)) return `io.k8s.api.${group.slice(0, -K8S_SUFFIX.length).split('.')[0]}.${version}`;
  if (!group.includes('.')) return `io.k8s.api.${group}.${version}`;
  return `${group.split('.').reverse().join('.')}.${version}`;
}

export function definitionName(def: GV & Pick<ResourceDefinition, 'kind'>): string {
  return `${definitionPrefix(def)}.${def.kind}`;
}

export function listDefinitionName(def: GV & Pick<ResourceDefinition, 'listKind'>): string {
  return `${definitionPrefix(def)}.${def.listKind}`;
}

/** Key of a group-version in the v3 root: `api/v1` or `apis/<group>/<version>`. */
export function groupVersionPathKey({ group, version }: GV): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/** URL prefix of a group-version's resources: `/api/v1` or `/apis/<group>/<version>`. */
export function groupVersionPrefix(gv: GV): string {
  return `/${groupVersionPathKey(gv)}`;
}

function pascal(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** `Core`, `Apps`, `RbacAuthorization`, `WorkloadKcpIo`: the group as it appears in operation ids. */
export function operationGroup(group: string): string {
  if (group === '') return 'Core';
  const trimmed = group.endsWith(K8S_SUFFIX) ? group.slice(0, -K8S_SUFFIX.length) : group;
  return trimmed.split(/[.-]/).map(pascal).join('');
}

/** e.g. `patchWorkloadKcpIoV1alpha1SyncTargetStatus`, `listCoreV1NamespacedConfigMap`. */
export function operationId(verb: string, def: ResourceDefinition, opts: { namespaced?: boolean; suffix?: string } = {}): string {
  return `${verb}${operationGroup(def.group)}${pascal(def.version)}${opts.namespaced ? 'Namespaced' : ''}${def.kind}${opts.suffix ?? ''}`;
}
