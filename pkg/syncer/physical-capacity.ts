// Capacity read from the physical cluster: the sum of its Nodes' status.capacity and
// status.allocatable, per resource. Used when the syncer is given the physical cluster's
// kubeconfig (--to-kubeconfig) and no --capacity; refreshed periodically by the agent.
import type { KubeConfig } from '@kubernetes/client-node';
import { tryParseQuantity } from '../../apis/meta/v1/quantity.ts';
import { Transport } from '../client/transport.ts';
import type { ResourceList } from './capacity.ts';

export interface NodeResources {
  capacity: ResourceList;
  allocatable: ResourceList;
}

interface NodeList {
  items?: { status?: { capacity?: Record<string, string>; allocatable?: Record<string, string> } }[];
}

const KI = 1024;
const BINARY: [number, string][] = [
  [KI ** 4, 'Ti'],
  [KI ** 3, 'Gi'],
  [KI ** 2, 'Mi'],
  [KI, 'Ki'],
];

/** A canonical quantity for a value in base units: whole numbers as is (binary suffix when exact), fractions in milli-units. */
export function formatQuantity(value: number): string {
  if (Number.isInteger(value)) {
    for (const [unit, suffix] of BINARY) if (value >= unit && value % unit === 0) return `${value / unit}${suffix}`;
    return String(value);
  }
  return `${Math.round(value * 1000)}m`;
}

function sum(lists: (Record<string, string> | undefined)[]): ResourceList {
  const totals = new Map<string, number>();
  for (const list of lists) {
    for (const [name, text] of Object.entries(list ?? {})) {
      const q = tryParseQuantity(String(text));
      if (q === undefined || q.value < 0) continue; // a malformed node entry is not ours to fail on
      totals.set(name, (totals.get(name) ?? 0) + q.value);
    }
  }
  return Object.fromEntries([...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, v]) => [n, formatQuantity(v)]));
}

/** Sum the Nodes of a NodeList (exported for tests). */
export function sumNodes(list: NodeList): NodeResources {
  const items = list.items ?? [];
  return { capacity: sum(items.map((n) => n.status?.capacity)), allocatable: sum(items.map((n) => n.status?.allocatable)) };
}

export class PhysicalCapacityReader {
  private readonly transport: Transport;

  constructor(kubeconfig: KubeConfig) {
    this.transport = new Transport(kubeconfig, { userAgent: 'kplane-syncer (capacity)', timeoutMs: 10_000 });
  }

  /** GET /api/v1/nodes on the physical cluster and add them up; throws StatusError on failure. */
  async read(): Promise<NodeResources> {
    return sumNodes(await this.transport.json<NodeList>({ method: 'GET', path: '/api/v1/nodes' }));
  }

  close(): void {
    this.transport.close();
  }
}
