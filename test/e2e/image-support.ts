// Fixtures for test/e2e/image.test.ts: build kplane's image once per set of inputs (cached by a
// hash of everything that goes into it) and run commands inside it with
// `buildah run --isolation chroot`, which shares the host's network, so a process in the image
// reaches a kplane on 127.0.0.1 and the test reaches one served from the image.
// (`podman run` cannot run on the CI machines: no setrlimit, no hybrid cgroups.)
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, systemJemalloc } from '../framework/kplane.ts';

const run = promisify(execFile);

export interface Built {
  tag: string;
  archive: string;
  /** What hack/image/build.sh printed (empty when the cache answered). */
  buildOutput: string;
}

/**
 * Why images cannot be built or run here, or undefined when they can. Only a missing or
 * unusable buildah/skopeo is a reason to skip; anything else is a test failure.
 */
export async function containerToolsProblem(): Promise<string | undefined> {
  for (const tool of ['buildah', 'skopeo']) {
    try {
      await run(tool, ['--version']);
    } catch {
      return `${tool} is not installed (apt-get install -y buildah skopeo)`;
    }
  }
  try {
    const { stdout } = await run('buildah', ['--log-level=error', 'from', 'scratch']);
    await run('buildah', ['rm', stdout.trim()]);
  } catch (err) {
    return `buildah cannot create a container here: ${(err as { stderr?: string }).stderr ?? String(err)}`;
  }
  return undefined;
}

/** Every file that goes into the image, in a stable order. */
function inputFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push(path);
    }
  };
  for (const dir of ['apis', 'pkg', 'cmd', 'hack/image']) walk(join(REPO_ROOT, dir));
  files.push(join(REPO_ROOT, 'package.json'), join(REPO_ROOT, 'package-lock.json'), join(REPO_ROOT, 'hack', 'build.mjs'), join(REPO_ROOT, 'tsconfig.json'), join(REPO_ROOT, 'tsconfig.build.json'), join(REPO_ROOT, 'hack', 'bin', 'jemalloc.sh'));
  // The build copies the machine's jemalloc when there is one: installing it changes the image.
  const jemalloc = systemJemalloc();
  if (jemalloc) files.push(jemalloc);
  return files;
}

function inputHash(): string {
  const h = createHash('sha256');
  for (const file of inputFiles()) {
    h.update(relative(REPO_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  // The 120 MB Node binary is identified by what npm installed (the lockfile, hashed above)
  // plus its size, rather than read in full.
  h.update(String(statSync(join(REPO_ROOT, 'node_modules', 'node', 'bin', 'node')).size));
  return h.digest('hex').slice(0, 16);
}

async function imageExists(tag: string): Promise<boolean> {
  try {
    await run('buildah', ['--log-level=error', 'inspect', '--type', 'image', tag]);
    return true;
  } catch {
    return false;
  }
}

const CACHE_REPO = 'localhost/kplane-e2e';

/**
 * The image for the current sources: reused from containers-storage and the cache directory
 * when built before from the same inputs, else built by hack/image/build.sh (~30 s on 2 cores).
 * Older e2e images and archives are removed so they do not pile up with every edit.
 */
export async function buildTestImage(): Promise<Built> {
  const hash = inputHash();
  const tag = `${CACHE_REPO}:${hash}`;
  const dir = join(tmpdir(), 'kplane-image-cache');
  mkdirSync(dir, { recursive: true });
  const archive = join(dir, `kplane-${hash}.oci.tar`);
  if (existsSync(archive) && (await imageExists(tag))) return { tag, archive, buildOutput: '' };
  const { stdout } = await run(join(REPO_ROOT, 'hack', 'image', 'build.sh'), ['--tag', tag, '--output', archive], { maxBuffer: 16 << 20 });
  const { stdout: images } = await run('buildah', ['--log-level=error', 'images', '--format', '{{.Name}}:{{.Tag}}']);
  for (const old of images.split('\n').filter((n) => n.startsWith(`${CACHE_REPO}:`) && n !== tag)) {
    await run('buildah', ['--log-level=error', 'rmi', old]).catch(() => undefined); // in use by a running test elsewhere: keep
  }
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.oci.tar') && join(dir, n) !== archive)) rmSync(join(dir, f), { force: true });
  return { tag, archive, buildOutput: stdout };
}

interface ImageConfig {
  User?: string;
  Entrypoint?: string[];
  Cmd?: string[];
  WorkingDir?: string;
  Env?: string[];
}

/** The OCI config of an archive, as `skopeo inspect --config` reads it. */
export async function inspectConfig(archive: string): Promise<{ config: ImageConfig }> {
  const { stdout } = await run('skopeo', ['inspect', '--config', `oci-archive:${archive}`], { maxBuffer: 16 << 20 });
  return JSON.parse(stdout) as { config: ImageConfig };
}

export interface InImage extends AsyncDisposable {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/**
 * Runs argv in a fresh container of the image as the image's user, with host directories
 * mounted (`host:container[:ro]`). Disposing kills it and removes the container.
 */
export async function runInImage(tag: string, argv: readonly string[], volumes: readonly string[] = []): Promise<InImage> {
  const { stdout } = await run('buildah', ['--log-level=error', 'from', '--pull-never', tag]);
  const ctr = stdout.trim();
  const child = spawn('buildah', ['--log-level=error', 'run', '--isolation', 'chroot', ...volumes.flatMap((v) => ['--volume', v]), ctr, '--', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const keep = (d: Buffer) => (text = (text + d.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    output: () => text,
    exited,
    async [Symbol.asyncDispose]() {
      // buildah kills the process inside when it is told to stop.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      await run('buildah', ['rm', ctr]);
    },
  };
}

/** Exit code and output of a short command in the image. */
export async function execInImage(tag: string, argv: readonly string[]): Promise<{ code: number | null; output: string }> {
  await using c = await runInImage(tag, argv);
  const code = await c.exited;
  return { code, output: c.output() };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}
