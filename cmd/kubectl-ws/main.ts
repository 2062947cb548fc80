// kubectl-ws: the `kubectl ws` plugin (kcp-compatible subset). Usage:
//   kubectl ws                     print the current workspace
//   kubectl ws <name>|:root:a|..|- switch (child, absolute, parent, previous)
//   kubectl ws use <same>          the same, spelled out
//   kubectl ws create <name> [--enter]
//   kubectl ws tree
// Flags: --kubeconfig FILE (else $KUBECONFIG's first file, else ~/.kube/config).
import { create, showCurrent, tree, use, WsError } from '../../pkg/cliplugins/ws/commands.ts';
import { Kubeconfig, KubeconfigError, kubeconfigPath } from '../../pkg/cliplugins/ws/kubeconfig.ts';
import { WorkspacePathError } from '../../pkg/cliplugins/ws/paths.ts';

const HELP = `Manage kplane workspaces (kcp-style).

Usage:
  kubectl ws                       show the current workspace
  kubectl ws <name>                enter a child workspace (or a:b for a descendant)
  kubectl ws :root:org | root:org  enter a workspace by absolute path
  kubectl ws ..                    enter the parent workspace
  kubectl ws -                     go back to the previous workspace
  kubectl ws create <name> [--enter]
  kubectl ws tree

Flags:
  --kubeconfig FILE  kubeconfig to read and edit`;

async function main(argv: string[]): Promise<number> {
  let kubeconfigFlag: string | undefined;
  let enter = false;
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--kubeconfig') kubeconfigFlag = argv[++i];
    else if (a.startsWith('--kubeconfig=')) kubeconfigFlag = a.slice('--kubeconfig='.length);
    else if (a === '--enter') enter = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write(HELP + '\n');
      return 0;
    } else args.push(a);
  }
  const d = { kubeconfig: Kubeconfig.load(kubeconfigPath(kubeconfigFlag)) };
  const [cmd, ...rest] = args;
  let out: string;
  if (cmd === undefined || cmd === '.') out = showCurrent(d);
  else if (cmd === 'create') {
    if (rest.length !== 1) throw new WsError('usage: kubectl ws create <name> [--enter]');
    out = await create(d, rest[0]!, enter);
  } else if (cmd === 'tree') out = await tree(d);
  else if (cmd === 'use') {
    if (rest.length !== 1) throw new WsError('usage: kubectl ws use <workspace>');
    out = await use(d, rest[0]!);
  } else {
    if (rest.length !== 0) throw new WsError(`unexpected arguments: ${rest.join(' ')}`);
    out = await use(d, cmd);
  }
  process.stdout.write(out + '\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const known = err instanceof WsError || err instanceof KubeconfigError || err instanceof WorkspacePathError;
    process.stderr.write(`error: ${known ? (err as Error).message : String(err instanceof Error ? (err.stack ?? err.message) : err)}\n`);
    process.exit(1);
  },
);
