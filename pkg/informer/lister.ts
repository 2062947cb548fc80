// Listers read the informer cache, scoped the kcp way:
//   lister.cluster('root:org').get('edge-1')
//   lister.cluster('root:org').namespace('default').list(selector)
//   lister.list()                       // every cluster
import type { KubeObject } from '../client/object.ts';
import { labelsMatch, type LabelSelector } from '../labels/index.ts';
import { CLUSTER_AND_NAMESPACE_INDEX, CLUSTER_INDEX, clusterAndNamespace, type Indexer } from './indexer.ts';
import { clusterKey } from './keys.ts';

function filter<T extends KubeObject>(items: T[], selector?: LabelSelector): T[] {
  return selector ? items.filter((o) => labelsMatch(selector, o.metadata.labels ?? {})) : items;
}

export class Lister<T extends KubeObject> {
  private readonly indexer: Indexer<T>;

  constructor(indexer: Indexer<T>) {
    this.indexer = indexer;
  }

  list(selector?: LabelSelector): T[] {
    return filter(this.indexer.list(), selector);
  }

  cluster(path: string): ClusterLister<T> {
    return new ClusterLister(this.indexer, path);
  }
}

export class ClusterLister<T extends KubeObject> {
  private readonly indexer: Indexer<T>;
  readonly clusterPath: string;

  constructor(indexer: Indexer<T>, cluster: string) {
    this.indexer = indexer;
    this.clusterPath = cluster;
  }

  /** A cluster-scoped object by name. */
  get(name: string): T | undefined {
    return this.indexer.get(clusterKey(this.clusterPath, '', name));
  }

  /** Every object of this cluster (all namespaces for namespaced types). */
  list(selector?: LabelSelector): T[] {
    return filter(this.indexer.byIndex(CLUSTER_INDEX, this.clusterPath), selector);
  }

  namespace(namespace: string): NamespaceLister<T> {
    return new NamespaceLister(this.indexer, this.clusterPath, namespace);
  }
}

export class NamespaceLister<T extends KubeObject> {
  private readonly indexer: Indexer<T>;
  private readonly clusterPath: string;
  private readonly ns: string;

  constructor(indexer: Indexer<T>, cluster: string, namespace: string) {
    this.indexer = indexer;
    this.clusterPath = cluster;
    this.ns = namespace;
  }

  get(name: string): T | undefined {
    return this.indexer.get(clusterKey(this.clusterPath, this.ns, name));
  }

  list(selector?: LabelSelector): T[] {
    return filter(this.indexer.byIndex(CLUSTER_AND_NAMESPACE_INDEX, clusterAndNamespace(this.clusterPath, this.ns)), selector);
  }
}
