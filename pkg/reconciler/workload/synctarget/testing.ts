// Literal fakes for step tests: a StepContext over in-memory listers and a recording client.
import type { SyncTarget } from '../../../client/index.ts';
import type { KubeObject } from '../../../client/object.ts';
import type { Condition } from '../../../conditions/conditions.ts';
import { Indexer } from '../../../informer/indexer.ts';
import { Lister } from '../../../informer/lister.ts';
import { silentLogger } from '../../../log/logger.ts';
import type { ClusterClient } from '../../../client/clusterclient.ts';
import { StatusError } from '../../../client/errors.ts';
import type { Deps, StepContext } from './types.ts';

export function listerOf<T extends KubeObject>(objs: T[]): Lister<T> {
  const idx = new Indexer<T>();
  for (const o of objs) idx.upsert(o);
  return new Lister(idx);
}

export function syncTarget(overrides: Partial<SyncTarget> = {}, cluster = 'root:org'): SyncTarget {
  return {
    apiVersion: 'workload.kcp.io/v1alpha1',
    kind: 'SyncTarget',
    metadata: { name: 'edge', uid: 'uid-1', resourceVersion: '10', generation: 1, annotations: { 'kcp.io/cluster': cluster } },
    spec: { cluster: 'edge-cluster', cells: { region: 'eu' } },
    ...overrides,
  };
}

export interface SecretCalls {
  gets: string[];
  patches: { name: string; patch: unknown }[];
}

/**
 * A client whose Secrets live in `server` (by `namespace/name`): get answers from it (404
 * otherwise) and a merge patch of labels is applied to it; calls are recorded.
 */
export function fakeSecretsClient(server: Map<string, KubeObject>, calls: SecretCalls = { gets: [], patches: [] }): ClusterClient {
  return {
    cluster: () => ({
      secrets: (namespace: string) => ({
        get: async (name: string) => {
          calls.gets.push(`${namespace}/${name}`);
          const s = server.get(`${namespace}/${name}`);
          if (!s) throw new StatusError('NotFound', `secrets "${name}" not found`);
          return structuredClone(s);
        },
        patch: async (name: string, _type: string, patch: { metadata: { labels: Record<string, string> } }) => {
          calls.patches.push({ name, patch });
          const s = server.get(`${namespace}/${name}`)!;
          s.metadata.labels = { ...s.metadata.labels, ...patch.metadata.labels };
          return structuredClone(s);
        },
      }),
    }),
  } as never;
}

/** The mutable "now" the fake dependencies report (tests move it by assignment). */
export interface TestTime {
  now: number;
}

export function fakeDeps(clock: TestTime, overrides: Partial<Deps> = {}, secrets: KubeObject[] = []): Deps {
  return {
    // Secrets not in the cache are not on the server either; steps that write get an override.
    clusterClient: fakeSecretsClient(new Map()),
    listers: {
      syncTargets: listerOf<SyncTarget>([]),
      secrets: listerOf<KubeObject>(secrets),
      serviceAccounts: listerOf<KubeObject>([]),
      clusterRoles: listerOf<KubeObject>([]),
      clusterRoleBindings: listerOf<KubeObject>([]),
    },
    recorder: { event: async () => undefined },
    logger: silentLogger(),
    now: () => clock.now,
    deployer: { deploy: async () => ({ available: true, reason: 'DeploymentAvailable', message: '' }), undeploy: async () => undefined },
    kplaneURL: 'https://kplane.test:6443',
    maxUndeployAttempts: 3,
    undeployAttempts: new Map(),
    mintedTokens: new Map(),
    ...overrides,
  };
}

export function stepContext(st: SyncTarget, deps: Deps): StepContext {
  const cluster = st.metadata.annotations?.['kcp.io/cluster'] ?? 'root';
  const draft = structuredClone(st);
  return {
    key: `${cluster}|${st.metadata.name}`,
    client: deps.clusterClient,
    signal: new AbortController().signal,
    cluster,
    name: st.metadata.name ?? '',
    original: st,
    draft,
    conditions: structuredClone((st.status?.conditions ?? []) as Condition[]),
    gone: false,
    deps,
  };
}
