// Flags of kplane-syncer, validated with zod. Names follow kcp's syncer and docs/design.md §1/§9
// (add, never rename).
import { z } from 'zod';
import { parseDuration } from '../options/duration.ts';
import type { FlagSpec } from '../options/flags.ts';
import { capacityFlag } from './capacity.ts';
import { parseResources } from './synced-resources.ts';

export const SYNCER_FLAGS: Record<string, FlagSpec> = {
  'from-kubeconfig': { type: 'string', description: 'kubeconfig for kplane (required)' },
  'from-cluster': { type: 'string', description: 'workspace path of the SyncTarget, e.g. root:org:team (required unless the kubeconfig server URL ends in /clusters/<path>)' },
  'sync-target-name': { type: 'string', description: 'name of the SyncTarget (required)' },
  'sync-target-uid': { type: 'string', description: 'refuse to run unless the SyncTarget has this uid' },
  'heartbeat-period': { type: 'string', description: 'how often to report a heartbeat', default: '20s' },
  'heartbeat-lease': { type: 'string', description: 'beat by renewing a coordination.k8s.io Lease (KEP-589) instead of patching the SyncTarget\'s status every period: true or false', default: 'false' },
  'status-report-period': { type: 'string', description: 'with --heartbeat-lease: the longest time between two status reports (status is also sent whenever it changes)', default: '5m' },
  capacity: { type: 'string', description: 'capacity to report, e.g. cpu=8,memory=32Gi (status.capacity and status.allocatable)' },
  'to-kubeconfig': { type: 'string', description: 'kubeconfig of the physical cluster: without --capacity, report the sum of its Nodes\' capacity and allocatable' },
  resources: { type: 'string', description: 'types to sync, as resource[.group] (e.g. deployments.apps,configmaps): checked against the physical cluster\'s discovery (--to-kubeconfig, or in-cluster), reported in status.syncedResources, and the Accepted ones synced' },
  'capacity-refresh-period': { type: 'string', description: 'how often to re-read capacity from the physical cluster', default: '60s' },
  'sync-mode': { type: 'string', description: 'how --resources are synced: view (through the SyncTarget\'s syncer view), none (plain /clusters paths, for a kplane without the view; the identity must list every workspace), off (only report status.syncedResources)', default: 'view' },
  'reduce-idle-heap': { type: 'string', description: 'give the memory of a burst (a large initial sync) back once the syncer is quiet: true or false', default: 'true' },
  'log-format': { type: 'string', description: 'json or text', default: 'json' },
  'log-level': { type: 'string', description: 'error, warn, info or debug', default: 'info' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

const durationMs = z.string().transform((s, ctx) => {
  const ms = parseDuration(s);
  if (ms === undefined || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: 'must be a positive duration such as 20s or 500ms' });
    return z.NEVER;
  }
  return ms;
});

export const syncerOptionsSchema = z
  .object({
    'from-kubeconfig': z.string().min(1).optional(),
    'from-cluster': z.string().min(1).optional(),
    'sync-target-name': z.string().min(1).optional(),
    'sync-target-uid': z.string().min(1).optional(),
    'heartbeat-period': durationMs.default(20_000),
    'heartbeat-lease': z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    'status-report-period': durationMs.default(300_000),
    capacity: capacityFlag.optional(),
    'to-kubeconfig': z.string().min(1).optional(),
    resources: z.string().transform((s, ctx) => {
      try {
        return parseResources(s);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
        return z.NEVER;
      }
    }).optional(),
    'capacity-refresh-period': durationMs.default(60_000),
    'sync-mode': z.enum(['view', 'none', 'off']).default('view'),
    'reduce-idle-heap': z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
    'log-format': z.enum(['json', 'text']).default('json'),
    'log-level': z.enum(['error', 'warn', 'info', 'debug']).default('info'),
    help: z.boolean().optional(),
  })
  // Required flags are checked after parsing so that --help works without them.
  .refine((o) => o.help || o['from-kubeconfig'], { message: 'is required', path: ['from-kubeconfig'] })
  .refine((o) => o.help || o['sync-target-name'], { message: 'is required', path: ['sync-target-name'] });
// --resources without --to-kubeconfig is valid: inside the physical cluster (the rendered
// Deployment) the in-cluster service account reaches it; elsewhere the agent warns and only
// heartbeats.

export type SyncerOptions = z.infer<typeof syncerOptionsSchema>;
