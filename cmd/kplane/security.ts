// Wiring of authentication, authorization and request limits for `kplane start`
// (bound into the one container by container.ts): the admin token, the static token file
// (--token-auth-file), service-account tokens signed with <root-dir>/sa.key, client
// certificates, RBAC read through the registry, and the global and per-client inflight limits.
import type { Container } from 'inversify';
import type { AdminToken } from '../../pkg/bootstrap/admin.ts';
import { AdminTokenAuthenticator } from '../../pkg/server/authn/admintoken.ts';
import { AuthenticatorChain, type TokenAuthenticator } from '../../pkg/server/authn/authenticator.ts';
import { LoopbackTokenAuthenticator } from '../../pkg/server/authn/loopback.ts';
import { ensureServiceAccountKey } from '../../pkg/server/authn/sakey.ts';
import { ServiceAccountTokens } from '../../pkg/server/authn/satoken.ts';
import { StaticTokenAuthenticator } from '../../pkg/server/authn/tokenfile.ts';
import { Authorizer } from '../../pkg/server/authz/authorizer.ts';
import { RBACAuthorizer } from '../../pkg/server/authz/rbac.ts';
import { StoreRBACReader } from '../../pkg/server/authz/reader.ts';
import type { SecurityServices } from '../../pkg/server/authz/services.ts';
import { type InflightLimits, newGlobalInflightLimiter, PerClientInflightLimiter } from '../../pkg/server/filters/inflight.ts';
import type { Registry } from '../../pkg/server/registry/registry.ts';
import type { StartOptions } from './options.ts';
import { type ServiceId, serviceId } from '../internal/service-id.ts';

export const SECURITY_TYPES = {
  ServiceAccountTokens: serviceId<ServiceAccountTokens>('ServiceAccountTokens'),
  Security: serviceId<SecurityServices>('Security'),
  Inflight: serviceId<InflightLimits>('Inflight'),
} as const;

/** Ids of the container this needs (they live in container.ts). */
export interface SecurityBindingDeps {
  registry: ServiceId<Registry>;
  adminToken: ServiceId<AdminToken>;
  /** Bound here. */
  authenticator: ServiceId<AuthenticatorChain>;
  /** The in-process controllers' token. */
  loopbackToken: ServiceId<string>;
}

export function bindSecurity(c: Container, o: StartOptions, types: SecurityBindingDeps): void {
  c.bind(SECURITY_TYPES.ServiceAccountTokens).toDynamicValue(async (ctx) => {
    const registry = await ctx.getAsync(types.registry);
    const serviceAccounts = registry.store('', 'serviceaccounts');
    return new ServiceAccountTokens({
      key: ensureServiceAccountKey(o['root-dir']),
      lookup: {
        uidOf: async (cluster, namespace, name) => {
          // Asked on every request a service account makes (a syncer's every beat) once the
          // authenticator's 1 s memory of it has lapsed: the watch cache's copy first, as
          // kube-apiserver's service-account lookup reads its informers; a miss asks storage. A
          // cache a moment behind a deletion is inside the window revocation already allows.
          const sa = serviceAccounts.peekCached(cluster, namespace, name) ?? (await serviceAccounts.tryGet(cluster, namespace, name));
          return sa && !sa.metadata.deletionTimestamp ? sa.metadata.uid : undefined;
        },
      },
    });
  });
  c.bind(types.authenticator).toDynamicValue(async (ctx) => {
    const tokenAuthenticators: TokenAuthenticator[] = [
      new AdminTokenAuthenticator(ctx.get(types.adminToken).sha256),
      new LoopbackTokenAuthenticator(ctx.get(types.loopbackToken)),
    ];
    if (o['token-auth-file']) tokenAuthenticators.push(StaticTokenAuthenticator.fromFile(o['token-auth-file']));
    tokenAuthenticators.push(await ctx.getAsync(SECURITY_TYPES.ServiceAccountTokens));
    return new AuthenticatorChain(tokenAuthenticators);
  });
  c.bind(SECURITY_TYPES.Security).toDynamicValue(async (ctx) => ({
    authorizer: new Authorizer(new RBACAuthorizer(new StoreRBACReader(await ctx.getAsync(types.registry)))),
    serviceAccountTokens: await ctx.getAsync(SECURITY_TYPES.ServiceAccountTokens),
  }));
  c.bind(SECURITY_TYPES.Inflight).toDynamicValue(() => ({
    global: newGlobalInflightLimiter(o['max-requests-inflight']),
    perClient: new PerClientInflightLimiter(),
  }));
}
