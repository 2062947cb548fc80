// Does a binding's subject name this user? (kube's rbac appliesToUser.) A ServiceAccount
// subject without a namespace takes the binding's namespace.
import type { Subject } from '../../../apis/rbac/v1/types.ts';
import type { UserInfo } from '../authn/user.ts';
import { serviceAccountUsername } from '../authn/satoken.ts';

export function subjectMatches(s: Subject, user: UserInfo, bindingNamespace: string): boolean {
  switch (s.kind) {
    case 'User':
      return s.name === user.username;
    case 'Group':
      return user.groups.includes(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace || bindingNamespace;
      return ns !== '' && serviceAccountUsername(ns, s.name) === user.username;
    }
    default:
      return false;
  }
}
