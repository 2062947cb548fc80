// Wiring of authentication, authorization and request limits for `kplane start`
// (bound into the one container by container.ts): the admin token, the static token file
// (--token-auth-file), service-account tokens signed with <root-dir>/sa.key, client
// certificates, RBAC read through the registry, and the global and per-client inflight limits.
import type { Container } from 'inversify';
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

export const SECURITY_TYPES = {
  ServiceAccountTokens: Symbol('ServiceAccountTokens'),
  Security: Symbol('Security'),
  Inflight: Symbol('Inflight'),
} as const;

export interface SecurityBindingDeps {
  registry: symbol;
  adminToken: symbol;
  authenticator: symbol;
  /** The in-process controllers' token (a string binding). */
  loopbackToken: symbol;
}

export function bindSecurity(c: Container, o: StartOptions, types: SecurityBindingDeps): void {
  c.bind<ServiceAccountTokens>(SECURITY_TYPES.ServiceAccountTokens).toDynamicValue(async (ctx) => {
    const registry = await ctx.getAsync<Registry>(types.registry);
    const serviceAccounts = registry.store('', 'serviceaccounts');
    return new ServiceAccountTokens({
      key: ensureServiceAccountKey(o['root-dir']),
      lookup: {
        uidOf: async (cluster, namespace, name) => {
          const sa = await serviceAccounts.tryGet(cluster, namespace, name);
          return sa && !sa.metadata.deletionTimestamp ? sa.metadata.uid : undefined;
        },
      },
    });
  });
  c.bind<AuthenticatorChain>(types.authenticator).toDynamicValue(async (ctx) => {
    const tokenAuthenticators: TokenAuthenticator[] = [
      new AdminTokenAuthenticator(ctx.get<{ sha256: string }>(types.adminToken).sha256),
      new LoopbackTokenAuthenticator(ctx.get<string>(types.loopbackToken)),
    ];
    if (o['token-auth-file']) tokenAuthenticators.push(StaticTokenAuthenticator.fromFile(o['token-auth-file']));
    tokenAuthenticators.push(await ctx.getAsync<ServiceAccountTokens>(SECURITY_TYPES.ServiceAccountTokens));
    return new AuthenticatorChain(tokenAuthenticators);
  });
  c.bind<SecurityServices>(SECURITY_TYPES.Security).toDynamicValue(async (ctx) => ({
    authorizer: new Authorizer(new RBACAuthorizer(new StoreRBACReader(await ctx.getAsync<Registry>(types.registry)))),
    serviceAccountTokens: await ctx.getAsync<ServiceAccountTokens>(SECURITY_TYPES.ServiceAccountTokens),
  }));
  c.bind<InflightLimits>(SECURITY_TYPES.Inflight).toDynamicValue(() => ({
    global: newGlobalInflightLimiter(o['max-requests-inflight']),
    perClient: new PerClientInflightLimiter(),
  }));
}
