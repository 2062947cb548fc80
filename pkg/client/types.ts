// Typed views of kplane's own API objects for controllers (the schemas live in apis/).
// Specs use the schemas' input types: fields with server-side defaults are optional here.
import type { z } from 'zod';
import type { LocationSpecSchema, LocationStatusSchema } from '../../apis/scheduling/v1alpha1/location.ts';
import type { PlacementSpecSchema, PlacementStatusSchema } from '../../apis/scheduling/v1alpha1/placement.ts';
import type { SyncTargetSpecSchema, SyncTargetStatusSchema } from '../../apis/workload/v1alpha1/synctarget.ts';
import type { KubeObject } from './object.ts';

export type SyncTargetSpec = z.input<typeof SyncTargetSpecSchema>;
export type SyncTargetStatus = z.input<typeof SyncTargetStatusSchema>;

export interface SyncTarget extends KubeObject {
  spec?: SyncTargetSpec;
  status?: SyncTargetStatus;
}

export interface Workspace extends KubeObject {
  spec?: { type?: { name?: string; path?: string } };
  status?: { phase?: string; URL?: string; conditions?: unknown[] };
}

export type LocationSpec = z.input<typeof LocationSpecSchema>;
export type LocationStatus = z.input<typeof LocationStatusSchema>;

export interface Location extends KubeObject {
  spec?: LocationSpec;
  status?: LocationStatus;
}

export type PlacementSpec = z.input<typeof PlacementSpecSchema>;
export type PlacementStatus = z.input<typeof PlacementStatusSchema>;

export interface Placement extends KubeObject {
  spec?: PlacementSpec;
  status?: PlacementStatus;
}
