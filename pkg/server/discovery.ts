// Discovery documents, derived from the resource declarations: legacy (/api, /apis,
// /apis/<g>/<v>, /api/v1) for client-node and older kubectl, and aggregated
// (apidiscovery.k8s.io/v2 and v2beta1) which kubectl 1.32 asks for first. Both /api and /apis
// answer aggregated when asked, since client-go uses aggregated data only if both do.
import { groupVersion, type ResourceDefinition } from '../../apis/resource.ts';
import { SCALE_GROUP, SCALE_KIND, SCALE_VERSION } from '../../apis/autoscaling/v1/scale.ts';

export class Discovery {
  private readonly defs: ResourceDefinition[];
  private readonly groups: Map<string, ResourceDefinition[]>;

  constructor(defs: ResourceDefinition[]) {
    this.defs = defs;
    this.groups = new Map();
    for (const d of defs) {
      const list = this.groups.get(d.group) ?? [];
      list.push(d);
      this.groups.set(d.group, list);
    }
  }

  /** Group names served under /apis (the core group '' is under /api). */
  apiGroups(): string[] {
    return [...this.groups.keys()].filter((g) => g !== '').sort();
  }

  versionsOf(group: string): string[] {
    return [...new Set((this.groups.get(group) ?? []).map((d) => d.version))];
  }

  hasGroupVersion(group: string, version: string): boolean {
    return this.defs.some((d) => d.group === group && d.version === version);
  }

  legacyAPIVersions(serverAddress: string): object {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
    };
  }

  legacyGroupList(): object {
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: this.apiGroups().map((g) => {
        const versions = this.versionsOf(g).map((v) => ({ groupVersion: `${g}/${v}`, version: v }));
        return { name: g, versions, preferredVersion: versions[0] };
      }),
    };
  }

  legacyGroup(group: string): object | undefined {
    if (!this.groups.has(group) || group === '') return undefined;
    const versions = this.versionsOf(group).map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
    return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions, preferredVersion: versions[0] };
  }

  resourceList(group: string, version: string): object | undefined {
    const defs = this.defs.filter((d) => d.group === group && d.version === version);
    if (defs.length === 0) return undefined;
    const resources: object[] = [];
    for (const d of defs) {
      resources.push({
        name: d.plural,
        singularName: d.singular,
        namespaced: d.namespaced,
        kind: d.kind,
        verbs: d.verbs,
        ...(d.shortNames.length > 0 ? { shortNames: d.shortNames } : {}),
        ...(d.categories.length > 0 ? { categories: d.categories } : {}),
      });
      if (d.subresources.status) {
        resources.push({ name: `${d.plural}/status`, singularName: '', namespaced: d.namespaced, kind: d.kind, verbs: ['get', 'patch', 'update'] });
      }
      if (d.subresources.scale) {
        resources.push({ name: `${d.plural}/scale`, singularName: '', namespaced: d.namespaced, group: SCALE_GROUP, version: SCALE_VERSION, kind: SCALE_KIND, verbs: ['get', 'patch', 'update'] });
      }
      if (d.group === '' && d.plural === 'serviceaccounts') {
        resources.push({ name: 'serviceaccounts/token', singularName: '', namespaced: true, group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] });
      }
    }
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion({ group, version }), resources };
  }

  /** Aggregated discovery for the core group (/api) or every named group (/apis). */
  aggregated(core: boolean, version: 'v2' | 'v2beta1'): object {
    const groups = core ? [''] : this.apiGroups();
    return {
      kind: 'APIGroupDiscoveryList',
      apiVersion: `apidiscovery.k8s.io/${version}`,
      metadata: {},
      items: groups.map((g) => ({
        metadata: { name: g, creationTimestamp: null },
        versions: this.versionsOf(g).map((v) => ({
          version: v,
          freshness: 'Current',
          resources: this.defs
            .filter((d) => d.group === g && d.version === v)
            .map((d) => ({
              resource: d.plural,
              responseKind: { group: d.group, version: d.version, kind: d.kind },
              scope: d.namespaced ? 'Namespaced' : 'Cluster',
              singularResource: d.singular,
              verbs: d.verbs,
              ...(d.shortNames.length > 0 ? { shortNames: d.shortNames } : {}),
              ...(d.categories.length > 0 ? { categories: d.categories } : {}),
              ...subresourcesOf(d),
            })),
        })),
      })),
    };
  }
}

/** Aggregated discovery's subresources entry: status and scale where declared. */
function subresourcesOf(d: ResourceDefinition): { subresources?: object[] } {
  const subs: object[] = [];
  if (d.subresources.status) subs.push({ subresource: 'status', responseKind: { group: d.group, version: d.version, kind: d.kind }, verbs: ['get', 'patch', 'update'] });
  if (d.subresources.scale) subs.push({ subresource: 'scale', responseKind: { group: SCALE_GROUP, version: SCALE_VERSION, kind: SCALE_KIND }, verbs: ['get', 'patch', 'update'] });
  return subs.length > 0 ? { subresources: subs } : {};
}

export function aggregatedContentType(version: 'v2' | 'v2beta1'): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}
