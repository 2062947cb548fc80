// `kubectl ws` through the real kubectl (plugin lookup on PATH), as admin and as a tenant:
// the tenant can enter and create in its own workspace, and is refused elsewhere.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import YAML from 'yaml';
import { REPO_ROOT } from '../framework/kplane.ts';
import { Kubectl } from '../framework/kubectl.ts';
import { ALICE_TOKEN, type SecurityEnv, startSecurityEnv } from './security-support.ts';

let env: SecurityEnv;
let binDir: string;
let admin: Kubectl;
let alice: Kubectl;

function withPlugin(k: Kubectl): (args: string[]) => ReturnType<Kubectl['run']> {
  return (args) => k.run(args, { env: { PATH: `${binDir}${delimiter}${process.env.PATH ?? ''}` } });
}

before(async () => {
  env = await startSecurityEnv();
  binDir = mkdtempSync(join(tmpdir(), 'kplane-ws-bin-'));
  symlinkSync(join(REPO_ROOT, 'hack', 'bin', 'kubectl-ws'), join(binDir, 'kubectl-ws'));
  const adminKC = join(env.dir, 'admin.kubeconfig');
  copyFileSync(env.kp.kubeconfig, adminKC);
  admin = new Kubectl(adminKC);
  const aliceKC = join(env.dir, 'alice.kubeconfig');
  writeFileSync(
    aliceKC,
    YAML.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'kplane', cluster: { server: `${env.kp.url}/clusters/root`, 'certificate-authority-data': Buffer.from(env.kp.caPem).toString('base64') } }],
      users: [{ name: 'alice', user: { token: ALICE_TOKEN } }],
      contexts: [{ name: 'kplane', context: { cluster: 'kplane', user: 'alice' } }],
      'current-context': 'kplane',
    }),
  );
  alice = new Kubectl(aliceKC);
});
after(async () => {
  for (const k of [admin, alice]) if (k) rmSync(k.cacheDir, { recursive: true, force: true });
  if (binDir) rmSync(binDir, { recursive: true, force: true });
  await env?.[Symbol.asyncDispose]();
});

describe('kubectl ws', () => {
  test('admin: show, enter, create --enter, parent, previous, absolute, tree', async () => {
    const ws = withPlugin(admin);
    const out = async (args: string[]) => {
      const r = await ws(args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      return r.stdout.trim();
    };
    assert.equal(await out(['ws']), 'Current workspace is "root".');
    assert.equal(await out(['ws', 'ws-a']), 'Current workspace is "root:ws-a".');
    assert.match(await out(['ws', 'create', 'team', '--enter']), /Workspace "team" created\.\nCurrent workspace is "root:ws-a:team"\./);
    assert.match(await out(['get', 'namespaces']), /default/);
    assert.equal(await out(['ws', '..']), 'Current workspace is "root:ws-a".');
    assert.equal(await out(['ws', '-']), 'Current workspace is "root:ws-a:team".');
    assert.equal(await out(['ws', ':root:ws-b']), 'Current workspace is "root:ws-b".');
    assert.equal(await out(['ws', 'root']), 'Current workspace is "root".');
    const t = await out(['ws', 'tree']);
    assert.match(t, /└── root\n/);
    assert.match(t, /ws-a\n.*── team/s);
    const missing = await ws(['ws', 'nope']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /workspace "root:nope" not found/);
    assert.equal(await out(['ws']), 'Current workspace is "root".', 'a failed switch changes nothing');
  });

  test('tenant: own workspace yes, others no', async () => {
    const ws = withPlugin(alice);
    const r = await ws(['ws', 'ws-b']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /forbidden/);
    const own = await ws(['ws', 'ws-a']);
    assert.equal(own.code, 0, own.stderr);
    const created = await ws(['ws', 'create', 'mine', '--enter']);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /Current workspace is "root:ws-a:mine"/);
    // The creator is admin of the new workspace.
    const cm = await alice.run(['create', 'configmap', 'hello', '--from-literal=a=b']);
    assert.equal(cm.code, 0, cm.stderr);
  });
});
