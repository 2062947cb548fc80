// What the security-aware handlers (Self*Reviews, TokenRequest) need from the server,
// carried on the HandlerContext as one optional field.
import type { ServiceAccountTokens } from '../authn/satoken.ts';
import type { Authorizer } from './authorizer.ts';

export interface SecurityServices {
  authorizer: Authorizer;
  serviceAccountTokens: ServiceAccountTokens;
}
