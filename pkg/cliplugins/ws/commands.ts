// The `kubectl ws` commands: show, use (name, :absolute, .., -), create [--enter], tree.
// Each returns the text to print; failures throw WsError with the message to show.
import { baseName, join, parentOf, ROOT } from '../../logicalcluster/path.ts';
import { PluginClient, replyError } from './client.ts';
import { Kubeconfig } from './kubeconfig.ts';
import { resolveTarget } from './paths.ts';

export class WsError extends Error {
  override readonly name = 'WsError';
}

const WS_API = '/apis/tenancy.kcp.io/v1alpha1/workspaces';

export interface WsDeps {
  kubeconfig: Kubeconfig;
  /** Waits between readiness polls of `create --enter`; injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** How long `create --enter` waits for Ready; defaults to 60 s. */
  readyTimeoutMs?: number;
}

function clientFor(kc: Kubeconfig): { client: PluginClient; workspace: string } {
  const cur = kc.current();
  return { client: new PluginClient(cur.base, cur.cluster, cur.user), workspace: cur.workspace };
}

function currentMessage(path: string): string {
  return `Current workspace is "${path}".`;
}

export function showCurrent(d: WsDeps): string {
  return currentMessage(d.kubeconfig.current().workspace);
}

/** The workspace must exist (and be visible to the caller) before we point at it. */
async function requireWorkspace(client: PluginClient, path: string): Promise<void> {
  if (path === ROOT) return;
  const parent = parentOf(path)!;
  const r = await client.do('GET', `/clusters/${parent}${WS_API}/${baseName(path)}`);
  if (r.status === 404) throw new WsError(`workspace "${path}" not found`);
  if (r.status === 403) {
    // A tenant may have access to a workspace without reading its parent (the usual case
    // for a workspace under root): the workspace's own discovery tells whether we get in.
    const probe = await client.do('GET', `/clusters/${path}/api`);
    if (probe.status === 200) return;
    throw new WsError(`cannot use workspace "${path}": ${replyError(probe)}`);
  }
  if (r.status !== 200) throw new WsError(`cannot use workspace "${path}": ${replyError(r)}`);
}

export async function use(d: WsDeps, arg: string): Promise<string> {
  const { client, workspace } = clientFor(d.kubeconfig);
  const target = resolveTarget(workspace, arg);
  let path: string;
  if (target.kind === 'previous') {
    const prev = d.kubeconfig.previous();
    if (!prev) throw new WsError('no previous workspace found in kubeconfig');
    path = prev.workspace;
  } else path = target.path;
  await requireWorkspace(client, path);
  d.kubeconfig.switchTo(path);
  d.kubeconfig.save();
  return currentMessage(path);
}

export async function create(d: WsDeps, name: string, enter: boolean): Promise<string> {
  const { client, workspace } = clientFor(d.kubeconfig);
  const body = { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name } };
  const r = await client.do('POST', `/clusters/${workspace}${WS_API}`, body);
  if (r.status !== 201) throw new WsError(`cannot create workspace "${name}": ${replyError(r)}`);
  const lines = [`Workspace "${name}" created.`];
  if (!enter) return lines.join('\n');
  const sleep = d.sleep ?? ((ms: number) => new Promise<void>((res) => setTimeout(res, ms)));
  const deadline = Date.now() + (d.readyTimeoutMs ?? 60_000);
  for (;;) {
    const g = await client.do('GET', `/clusters/${workspace}${WS_API}/${name}`);
    const phase = (g.body as { status?: { phase?: string } } | undefined)?.status?.phase;
    if (g.status === 200 && phase === 'Ready') break;
    if (Date.now() > deadline) throw new WsError(`workspace "${name}" did not become Ready (phase ${phase ?? 'unknown'})`);
    await sleep(200);
  }
  const path = join(workspace, name);
  d.kubeconfig.switchTo(path);
  d.kubeconfig.save();
  lines.push(currentMessage(path));
  return lines.join('\n');
}

/** The workspace tree under the current workspace, drawn like kcp's `ws tree`. */
export async function tree(d: WsDeps): Promise<string> {
  const { client, workspace } = clientFor(d.kubeconfig);
  const lines = ['.', `└── ${workspace}`];
  await drawChildren(client, workspace, '    ', lines);
  return lines.join('\n');
}

async function drawChildren(client: PluginClient, path: string, indent: string, lines: string[]): Promise<void> {
  const r = await client.do('GET', `/clusters/${path}${WS_API}`);
  if (r.status === 403) return; // children we may not list are not drawn
  if (r.status !== 200) throw new WsError(`cannot list workspaces in "${path}": ${replyError(r)}`);
  const items = ((r.body as { items?: { metadata: { name: string } }[] }).items ?? []).map((i) => i.metadata.name).sort();
  for (const [i, name] of items.entries()) {
    const last = i === items.length - 1;
    lines.push(`${indent}${last ? '└── ' : '├── '}${name}`);
    await drawChildren(client, join(path, name), indent + (last ? '    ' : '│   '), lines);
  }
}
