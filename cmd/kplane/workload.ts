// `kplane workload sync|cordon|uncordon|drain <name>`: SyncTarget chores in the workspace of
// the current kubeconfig context (KUBECONFIG or --kubeconfig), like `kubectl kcp workload`.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';
import { ClusterClient } from '../../pkg/client/index.ts';
import { Transport } from '../../pkg/client/transport.ts';
import { parseDuration } from '../../pkg/options/duration.ts';
import { type FlagSpec, parseFlags, usage, UsageError } from '../../pkg/options/flags.ts';
import { capacityFlag } from '../../pkg/syncer/capacity.ts';
import { parseResources } from '../../pkg/syncer/synced-resources.ts';
import { baseServerURL, renderSyncerKubeconfig } from '../../pkg/syncer/manifests/kubeconfig.ts';
import { DEFAULT_SYNCER_IMAGE } from './options.ts';
import { toMultiDocYAML } from '../../pkg/syncer/manifests/render.ts';
import { prepareSyncer, schedulingPatch, SYNCER_TOKEN_SECONDS, type TokenMinter, TokenRequestUnavailableError } from '../../pkg/syncer/prepare.ts';
import { ServiceAccountTokens } from '../../pkg/server/authn/satoken.ts';

export const WORKLOAD_FLAGS: Record<string, FlagSpec> = {
  kubeconfig: { type: 'string', description: 'kubeconfig to use (defaults to $KUBECONFIG, then ~/.kube/config)' },
  'syncer-image': { type: 'string', description: 'sync: container image of the syncer', default: DEFAULT_SYNCER_IMAGE },
  'syncer-kubeconfig': { type: 'string', description: 'sync: also write the syncer\'s kubeconfig here, to run kplane-syncer by hand' },
  output: { type: 'string', short: 'o', description: 'sync: file to write the manifests to, or - for stdout (required)' },
  cluster: { type: 'string', description: 'sync: spec.cluster, the physical cluster name (defaults to the SyncTarget name)' },
  cells: { type: 'string', description: 'sync: spec.cells as key=value,... (a new SyncTarget defaults to cluster=<spec.cluster>)' },
  'heartbeat-period': { type: 'string', description: 'sync: the syncer heartbeat period', default: '20s' },
  'heartbeat-lease': { type: 'boolean', description: 'sync: the syncer beats by renewing a Lease (status is patched only when it changes, or every 5 minutes)' },
  capacity: { type: 'string', description: 'sync: capacity the syncer reports, e.g. cpu=8,memory=32Gi' },
  resources: { type: 'string', description: 'sync: the types the syncer syncs, as resource[.group],… (default deployments.apps,services,configmaps,secrets)' },
  'service-account-key-file': {
    type: 'string',
    description: "sync: mint the syncer token locally with kplane's signing key (<root-dir>/sa.key, operators on the kplane host) instead of the TokenRequest API",
  },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

const schema = z.object({
  kubeconfig: z.string().min(1).optional(),
  'syncer-image': z.string().min(1).default(DEFAULT_SYNCER_IMAGE),
  'syncer-kubeconfig': z.string().min(1).optional(),
  output: z.string().min(1).optional(),
  cluster: z.string().min(1).optional(),
  cells: z.string().optional().transform((s, ctx) => {
    if (s === undefined) return undefined;
    const out: Record<string, string> = {};
    for (const part of s.split(',').map((p) => p.trim()).filter(Boolean)) {
      const [k, v, ...more] = part.split('=');
      if (!k || v === undefined || more.length > 0) {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not key=value` });
        return z.NEVER;
      }
      out[k] = v;
    }
    return out;
  }),
  'heartbeat-period': z.string().refine((s) => (parseDuration(s) ?? 0) > 0, { message: 'must be a positive duration such as 20s' }).default('20s'),
  'heartbeat-lease': z.boolean().optional(),
  capacity: z.string().optional(),
  resources: z.string().optional().transform((s, ctx) => {
    if (s === undefined) return undefined;
    try {
      return parseResources(s).map((r) => (r.group ? `${r.resource}.${r.group}` : r.resource));
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
      return z.NEVER;
    }
  }),
  'service-account-key-file': z.string().min(1).optional(),
  help: z.boolean().optional(),
});

const HELP = `Usage: kplane workload <sync|cordon|uncordon|drain> <name> [flags]

  sync      create or update SyncTarget <name> and its syncer identity, and write the
            manifests that run the syncer on the physical cluster (-o FILE or -)
  cordon    mark the SyncTarget unschedulable
  uncordon  make it schedulable again (and stop any eviction)
  drain     evict workloads from it now (spec.evictAfter)`;

/** The current context's workspace and kplane URL. */
function currentWorkspace(kc: KubeConfig): { workspace: string; server: string; caPem: string } {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new UsageError('the kubeconfig has no current context/cluster');
  let caPem = '';
  if (cluster.caData) caPem = Buffer.from(cluster.caData, 'base64').toString('utf8');
  else if (cluster.caFile) caPem = readFileSync(cluster.caFile, 'utf8');
  return { workspace: Transport.clusterFromKubeconfig(kc) ?? 'root', server: baseServerURL(cluster.server), caPem };
}

/**
 * The documented fallback when TokenRequest is unavailable: sign the token with kplane's own
 * service-account key, exactly as the server would (same issuer, audience and claims).
 */
function localMinter(keyFile: string): TokenMinter {
  return async (_clusterClient, sa) => {
    const privateKey = createPrivateKey(readFileSync(keyFile, 'utf8'));
    const tokens = new ServiceAccountTokens({ key: { privateKey, publicKey: createPublicKey(privateKey) }, lookup: { uidOf: async () => undefined } });
    return (await tokens.issue({ cluster: sa.workspace, namespace: sa.namespace, name: sa.name, uid: sa.uid }, SYNCER_TOKEN_SECONDS)).token;
  };
}

export async function runWorkload(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (action === undefined || action === 'help' || action === '--help' || action === '-h') {
    process.stdout.write(`${HELP}\n\n${usage('kplane workload <command> <name>', 'SyncTarget chores.', WORKLOAD_FLAGS)}\n`);
    return action === undefined ? 2 : 0;
  }
  if (!['sync', 'cordon', 'uncordon', 'drain'].includes(action)) throw new UsageError(`unknown workload command "${action}"`);
  const { values, positionals } = parseFlags(rest, WORKLOAD_FLAGS, schema);
  if (values.help) {
    process.stdout.write(`${HELP}\n\n${usage(`kplane workload ${action} <name>`, 'SyncTarget chores.', WORKLOAD_FLAGS)}\n`);
    return 0;
  }
  const name = positionals[0];
  if (!name || positionals.length > 1) throw new UsageError(`kplane workload ${action} takes exactly one SyncTarget name`);

  const kc = new KubeConfig();
  if (values.kubeconfig) kc.loadFromFile(values.kubeconfig);
  else kc.loadFromDefault();
  const { workspace, server, caPem } = currentWorkspace(kc);
  const clusterClient = new ClusterClient(kc, { component: 'kplane-workload' });
  try {
    if (action !== 'sync') {
      await clusterClient.cluster(workspace).syncTargets().patch(name, 'merge', schedulingPatch(action as 'cordon' | 'uncordon' | 'drain', new Date()));
      process.stdout.write(`synctarget.workload.kcp.io/${name} ${action === 'drain' ? 'draining' : `${action}ed`}\n`);
      return 0;
    }
    if (!values.output) throw new UsageError('-o/--output is required (a file, or - for stdout)');
    const capacity = values.capacity ? capacityFlag.parse(values.capacity) : undefined;
    const prepared = await prepareSyncer({
      clusterClient,
      workspace,
      name,
      physicalCluster: values.cluster,
      cells: values.cells,
      image: values['syncer-image'],
      heartbeatPeriod: values['heartbeat-period'],
      ...(values['heartbeat-lease'] ? { heartbeatLease: true } : {}),
      capacity,
      resources: values.resources,
      kplaneURL: server,
      caPem,
      mintToken: values['service-account-key-file'] ? localMinter(values['service-account-key-file']) : undefined,
    });
    const yaml = toMultiDocYAML(prepared.objects);
    if (values.output === '-') process.stdout.write(yaml);
    else {
      writeFileSync(values.output, yaml, { mode: 0o600 });
      process.stderr.write(
        `Wrote the syncer manifests for SyncTarget "${name}" (uid ${prepared.syncTarget.metadata.uid}) in ${workspace} to ${values.output}.\n` +
          `Apply them to the physical cluster: kubectl --kubeconfig <physical-cluster> apply -f ${values.output}\n`,
      );
    }
    const syncerKubeconfig = values['syncer-kubeconfig'];
    if (syncerKubeconfig) {
      writeFileSync(syncerKubeconfig, renderSyncerKubeconfig({ server, caPem, token: prepared.token }), { mode: 0o600 });
      process.stderr.write(
        `Wrote the syncer's kubeconfig to ${syncerKubeconfig}. Run the syncer by hand with:\n` +
          `  kplane-syncer --from-kubeconfig ${syncerKubeconfig} --from-cluster ${workspace} --sync-target-name ${name} --sync-target-uid ${prepared.syncTarget.metadata.uid}\n`,
      );
    }
    return 0;
  } catch (err) {
    if (err instanceof TokenRequestUnavailableError) throw new Error(`${err.message}; on the kplane host, pass --service-account-key-file <root-dir>/sa.key to mint the token locally`);
    throw err;
  } finally {
    clusterClient.close();
  }
}
