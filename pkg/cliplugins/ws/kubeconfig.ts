// Reading and editing the kubeconfig the way kcp's `kubectl ws` does: the workspace in use
// lives in a context (and cluster entry) named `workspace.kcp.io/current`, the one before
// it in `workspace.kcp.io/previous`; switching rewrites only their server URLs' cluster path
// and makes `workspace.kcp.io/current` the current context. Other entries are untouched.
import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import YAML from 'yaml';
import { serverFor, splitServer } from './paths.ts';

export const CURRENT_CONTEXT = 'workspace.kcp.io/current';
export const PREVIOUS_CONTEXT = 'workspace.kcp.io/previous';

export class KubeconfigError extends Error {
  override readonly name = 'KubeconfigError';
}

export interface ClusterEntry {
  server: string;
  'certificate-authority-data'?: string;
  'certificate-authority'?: string;
  'insecure-skip-tls-verify'?: boolean;
  [k: string]: unknown;
}

export interface UserEntry {
  token?: string;
  tokenFile?: string;
  'client-certificate-data'?: string;
  'client-key-data'?: string;
  'client-certificate'?: string;
  'client-key'?: string;
  [k: string]: unknown;
}

interface Named<T> {
  name: string;
  [k: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}

interface ContextEntry {
  cluster: string;
  user: string;
  namespace?: string;
  [k: string]: unknown;
}

export interface KubeconfigDoc {
  clusters?: Named<ClusterEntry>[];
  users?: Named<UserEntry>[];
  contexts?: Named<ContextEntry>[];
  'current-context'?: string;
  [k: string]: unknown;
}

/** The file to read and write: --kubeconfig, else the first KUBECONFIG entry, else ~/.kube/config. */
export function kubeconfigPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return flag;
  const first = (env.KUBECONFIG ?? '').split(delimiter).find((p) => p !== '');
  return first ?? join(env.HOME ?? homedir(), '.kube', 'config');
}

export class Kubeconfig {
  readonly path: string;
  readonly doc: KubeconfigDoc;

  constructor(path: string, doc: KubeconfigDoc) {
    this.path = path;
    this.doc = doc;
  }

  static load(path: string): Kubeconfig {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new KubeconfigError(`cannot read kubeconfig ${path}: ${(err as Error).message}`);
    }
    const doc = YAML.parse(text) as KubeconfigDoc | null;
    if (!doc || typeof doc !== 'object') throw new KubeconfigError(`kubeconfig ${path} is empty or invalid`);
    return new Kubeconfig(path, doc);
  }

  save(): void {
    writeFileSync(this.path, YAML.stringify(this.doc), { mode: 0o600 });
  }

  private context(name: string): ContextEntry | undefined {
    return this.doc.contexts?.find((c) => c.name === name)?.context;
  }

  cluster(name: string): ClusterEntry | undefined {
    return this.doc.clusters?.find((c) => c.name === name)?.cluster;
  }

  user(name: string): UserEntry | undefined {
    return this.doc.users?.find((u) => u.name === name)?.user;
  }

  /** The current context's cluster, user and logical cluster path. */
  current(): { cluster: ClusterEntry; user: UserEntry; userName: string; base: string; workspace: string } {
    const ctxName = this.doc['current-context'];
    if (!ctxName) throw new KubeconfigError('the kubeconfig has no current context');
    return this.resolve(ctxName);
  }

  previous(): { workspace: string } | undefined {
    if (!this.context(PREVIOUS_CONTEXT)) return undefined;
    return { workspace: this.resolve(PREVIOUS_CONTEXT).workspace };
  }

  private resolve(ctxName: string): { cluster: ClusterEntry; user: UserEntry; userName: string; base: string; workspace: string } {
    const ctx = this.context(ctxName);
    if (!ctx) throw new KubeconfigError(`context "${ctxName}" not found in ${this.path}`);
    const cluster = this.cluster(ctx.cluster);
    if (!cluster?.server) throw new KubeconfigError(`cluster "${ctx.cluster}" of context "${ctxName}" has no server`);
    const { base, cluster: workspace } = splitServer(cluster.server);
    return { cluster, user: this.user(ctx.user) ?? {}, userName: ctx.user, base, workspace };
  }

  /** Point `workspace.kcp.io/current` at `workspace`, remembering the workspace in use as previous. */
  switchTo(workspace: string): void {
    const cur = this.current();
    this.upsert(PREVIOUS_CONTEXT, { ...cur.cluster, server: serverFor(cur.base, cur.workspace) }, cur.userName);
    this.upsert(CURRENT_CONTEXT, { ...cur.cluster, server: serverFor(cur.base, workspace) }, cur.userName);
    this.doc['current-context'] = CURRENT_CONTEXT;
  }

  private upsert(name: string, cluster: ClusterEntry, user: string): void {
    const clusters = (this.doc.clusters ??= []);
    const c = clusters.find((x) => x.name === name);
    if (c) c.cluster = cluster;
    else clusters.push({ name, cluster });
    const contexts = (this.doc.contexts ??= []);
    const x = contexts.find((e) => e.name === name);
    const entry: ContextEntry = { cluster: name, user };
    if (x) x.context = entry;
    else contexts.push({ name, context: entry });
  }
}
