// autoscaling/v1 Scale: the view a `scale` subresource serves (Deployment's replicas). It is
// not a stored resource of its own; these are its identity and its `kubectl get
// --subresource=scale` columns (kube's printers: NAME, DESIRED, AVAILABLE).
import type { PrinterColumn } from '../../resource.ts';

export const SCALE_GROUP = 'autoscaling';
export const SCALE_VERSION = 'v1';
export const SCALE_KIND = 'Scale';

const replicas = (part: 'spec' | 'status') => (o: Record<string, unknown>): number => {
  const v = (o[part] as Record<string, unknown> | undefined)?.replicas;
  return typeof v === 'number' ? v : 0;
};

export const SCALE_PRINTER_COLUMNS: PrinterColumn[] = [
  { name: 'Desired', type: 'integer', jsonPath: '.spec.replicas', description: 'desired number of instances for the scaled object', value: replicas('spec') },
  { name: 'Available', type: 'integer', jsonPath: '.status.replicas', description: 'actual number of observed instances of the scaled object', value: replicas('status') },
];
