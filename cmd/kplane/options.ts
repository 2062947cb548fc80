// Flags of `kplane start`, validated with zod. Names follow docs/design.md §1 (add, never rename).
import { z } from 'zod';
import { parseDuration } from '../../pkg/options/duration.ts';
import type { FlagSpec } from '../../pkg/options/flags.ts';
import { ALL_CONTROLLERS, enabledControllers } from '../../pkg/reconciler/manager.ts';

/**
 * kplane's release image (`npm run image` builds it as localhost/kplane:<version>; README says
 * how to push it). One image carries kplane and kplane-syncer; the syncer Deployment names the
 * syncer's entrypoint. Keep the tag at package.json's version (options.test.ts checks).
 */
export const DEFAULT_SYNCER_IMAGE = 'ghcr.io/kplane-dev/kplane:v0.1.0';

const count = z.string().regex(/^\d+$/, 'must be a positive integer').transform(Number).pipe(z.number().int().min(1));
const duration = z.string().refine((s) => parseDuration(s) !== undefined, { message: 'must be a duration such as 60s or 1m30s' });

/** Flags `kplane start` and `kplane controllers` share, with one meaning and one default. */
export const SHARED_CONTROLLER_FLAGS: Record<string, FlagSpec> = {
  'leader-elect': { type: 'string', description: 'elect one leader (a coordination.k8s.io Lease) before running controllers: true or false', default: 'true' },
  'heartbeat-threshold': { type: 'string', description: 'a SyncTarget without a heartbeat for this long is not Ready', default: '60s' },
  'eviction-grace': { type: 'string', description: 'a SyncTarget whose syncer has had no healthy heartbeat this long loses its namespaces to other Ready SyncTargets of their Location, and departures from it finish without its syncer', default: '5m' },
  'syncer-image': { type: 'string', description: 'syncer image for Deployments kplane applies to physical clusters', default: DEFAULT_SYNCER_IMAGE },
  'reduce-idle-heap': { type: 'string', description: 'give a burst\'s memory back once a thread is quiet, at the cost of one pause of up to ~0.5 s after a large burst (docs/operations.md, Memory): true or false', default: 'true' },
  'log-format': { type: 'string', description: 'json or text', default: 'json' },
  'log-level': { type: 'string', description: 'error, warn, info or debug', default: 'info' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

/** The zod fields of SHARED_CONTROLLER_FLAGS. */
export const sharedControllerOptions = {
  'leader-elect': z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  'heartbeat-threshold': duration.default('60s'),
  'eviction-grace': duration.default('5m'),
  'syncer-image': z.string().min(1).default(DEFAULT_SYNCER_IMAGE),
  'reduce-idle-heap': z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  'log-format': z.enum(['json', 'text']).default('json'),
  'log-level': z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  help: z.boolean().optional(),
};

export const START_FLAGS: Record<string, FlagSpec> = {
  'root-dir': { type: 'string', description: 'directory for the database, CA, keys and admin.kubeconfig', default: '.kplane' },
  'bind-address': { type: 'string', description: 'IP address to listen on', default: '127.0.0.1' },
  'secure-port': { type: 'string', description: 'HTTPS port (0 picks a free port)', default: '6443' },
  'external-hostname': { type: 'string', description: 'host name clients use (written to kubeconfigs); defaults to the bind address' },
  storage: { type: 'string', description: 'storage backend: sqlite (embedded) or etcd', default: 'sqlite' },
  'etcd-servers': { type: 'string', description: 'comma-separated etcd URLs (with --storage etcd)' },
  'etcd-prefix': { type: 'string', description: 'etcd key prefix; replicas of one installation share it', default: '/kplane' },
  'etcd-cafile': { type: 'string', description: 'PEM CA bundle that signed the etcd servers\' certificates' },
  'etcd-certfile': { type: 'string', description: 'PEM client certificate for etcd' },
  'etcd-keyfile': { type: 'string', description: 'PEM client key for etcd' },
  'watch-cache': { type: 'string', description: 'serve watches and resourceVersion=0 lists from an in-memory watch cache: true or false', default: 'true' },
  'sqlite-fsync': { type: 'string', description: 'where SQLite\'s per-commit fsync runs: commit (inside COMMIT, on the event loop) or thread-pool (an fdatasync of the WAL on libuv\'s thread pool; every write is still on disk before it is acknowledged, read or watched)', default: 'thread-pool' },
  dashboard: { type: 'string', description: 'serve the read-only fleet dashboard\'s static files at /dashboard/ (its data is read with each user\'s own token): true or false', default: 'true' },
  'token-auth-file': { type: 'string', description: 'static bearer tokens, CSV: token,user,uid,"group1,group2"' },
  'audit-log-path': { type: 'string', description: 'append one audit.k8s.io/v1 Event (Metadata level) per request to this file as a JSON line; - for standard output' },
  'request-timeout': { type: 'string', description: 'answer 504 to a request (watches excepted) not done within this long; also the cap for ?timeout=', default: '60s' },
  'max-requests-inflight': { type: 'string', description: 'requests (watches excepted) in flight on the whole server before 429; system:masters is exempt', default: '400' },
  v: { type: 'string', description: 'klog-style verbosity: 4 or more logs debug lines (overrides --log-level when set)' },
  'shutdown-delay': { type: 'string', description: 'after SIGTERM, keep serving this long with /readyz failing so load balancers drain', default: '0s' },
  'shutdown-grace-period': { type: 'string', description: 'after SIGTERM, how long in-flight requests may take before connections are cut', default: '3s' },
  controllers: { type: 'string', description: 'controllers to run in-process: * (all), - (none) or a comma-separated list', default: '*' },
  'controllers-thread': { type: 'string', description: 'run the in-process controllers on their own worker thread, so that they and the API server use two cores: true or false (the server\'s event loop)', default: 'true' },
  'max-connections': { type: 'string', description: 'open client connections in total; more are closed at once', default: '8192' },
  'max-connections-per-ip': { type: 'string', description: 'open client connections from one remote address', default: '1024' },
  'request-body-timeout': { type: 'string', description: 'how long a client may take to send a request body (408 after)', default: '30s' },
  ...SHARED_CONTROLLER_FLAGS,
};

export const startOptionsSchema = z
  .object({
    'root-dir': z.string().min(1).default('.kplane'),
    'bind-address': z.ipv4().or(z.ipv6()).default('127.0.0.1'),
    'secure-port': z
      .string()
      .regex(/^\d+$/, 'must be a port number')
      .transform(Number)
      .pipe(z.number().int().min(0).max(65535))
      .default(6443),
    'external-hostname': z.string().min(1).optional(),
    storage: z.enum(['sqlite', 'etcd']).default('sqlite'),
    'etcd-servers': z.string().optional(),
    'etcd-prefix': z.string().default('/kplane'),
    'etcd-cafile': z.string().min(1).optional(),
    'etcd-certfile': z.string().min(1).optional(),
    'etcd-keyfile': z.string().min(1).optional(),
    'watch-cache': z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
    'sqlite-fsync': z.enum(['commit', 'thread-pool']).default('thread-pool'),
    dashboard: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
    'token-auth-file': z.string().optional(),
    'audit-log-path': z.string().min(1).optional(),
    'request-timeout': duration.refine((s) => parseDuration(s)! > 0, { message: 'must be more than 0' }).default('60s'),
    'max-requests-inflight': count.default(400),
    v: z.string().regex(/^\d+$/, 'must be a non-negative integer').transform(Number).optional(),
    'shutdown-delay': duration.default('0s'),
    'shutdown-grace-period': duration.default('3s'),
    controllers: z.string().default('*'),
    'controllers-thread': z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
    'max-connections': count.default(8192),
    'max-connections-per-ip': count.default(1024),
    'request-body-timeout': duration.default('30s'),
    ...sharedControllerOptions,
  })
  .refine((o) => { try { enabledControllers(o.controllers); return true; } catch { return false; } }, {
    message: `must be *, - or a comma-separated list of: ${ALL_CONTROLLERS.join(', ')}`,
    path: ['controllers'],
  })
  .refine((o) => (o['etcd-certfile'] === undefined) === (o['etcd-keyfile'] === undefined), {
    message: '--etcd-certfile and --etcd-keyfile go together',
    path: ['etcd-certfile'],
  })
  .refine((o) => o.storage !== 'etcd' || (o['etcd-servers'] ?? '') !== '', {
    message: '--etcd-servers is required with --storage etcd',
    path: ['etcd-servers'],
  });

export type StartOptions = z.infer<typeof startOptionsSchema>;
