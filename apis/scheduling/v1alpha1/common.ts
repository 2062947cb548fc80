// Shared pieces of scheduling.kcp.io/v1alpha1: the group, the GroupVersionResource a Location
// or Placement names (only workload.kcp.io/v1alpha1 synctargets can be scheduled onto, as in
// kcp), and the workspace path pattern of locationWorkspace / selectedLocation.path.
import { z } from 'zod';
import type { FieldCause } from '../../resource.ts';

export const GROUP = 'scheduling.kcp.io';
export const VERSION = 'v1alpha1';

/** kcp's pattern for an absolute workspace path. */
export const WORKSPACE_PATH_RE = /^root(:[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const GroupVersionResourceSchema = z.object({
  group: z.string().optional().describe('group is the name of an API group.'),
  version: z.string().min(1).describe('version is the version of the API.'),
  resource: z.string().min(1).describe('resource is the name of the resource.'),
}).describe('GroupVersionResource unambiguously identifies a resource.');
export type GroupVersionResource = z.infer<typeof GroupVersionResourceSchema>;

/** The one schedulable resource. */
export const SYNC_TARGETS: Required<GroupVersionResource> = { group: 'workload.kcp.io', version: 'v1alpha1', resource: 'synctargets' };

/** kcp's CRD restricts each field to one enum value; the same rule with the field path. */
export function validateSyncTargetResource(gvr: unknown, path: string): FieldCause[] {
  if (gvr === undefined || gvr === null || typeof gvr !== 'object') return [];
  const causes: FieldCause[] = [];
  const g = gvr as GroupVersionResource;
  for (const field of ['group', 'version', 'resource'] as const) {
    const value = g[field] ?? '';
    if (value !== SYNC_TARGETS[field]) {
      causes.push({
        reason: 'FieldValueNotSupported',
        field: `${path}.${field}`,
        message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${JSON.stringify(SYNC_TARGETS[field])}`,
      });
    }
  }
  return causes;
}
