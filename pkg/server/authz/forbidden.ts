// The 403 a denied request gets, worded exactly as kube-apiserver words it
// (endpoints/handlers/responsewriters.forbiddenMessage + apierrors.NewForbidden), so that
// kubectl prints the familiar "Error from server (Forbidden): … is forbidden: User …".
import { StatusError } from '../../apierrors/errors.ts';
import type { Attributes } from './attributes.ts';

export function forbiddenMessage(a: Attributes): string {
  const user = a.user.username;
  if (!a.resourceRequest) return `User "${user}" cannot ${a.verb} path "${a.path}"`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  if (a.namespace) return `User "${user}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" in the namespace "${a.namespace}"`;
  return `User "${user}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" at the cluster scope`;
}

export function newForbidden(a: Attributes, reason: string): StatusError {
  const why = reason ? `${forbiddenMessage(a)}: ${reason}` : forbiddenMessage(a);
  if (!a.resourceRequest) return new StatusError('Forbidden', `forbidden: ${why}`, {});
  const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  const message = a.name ? `${qualified} "${a.name}" is forbidden: ${why}` : `${qualified} is forbidden: ${why}`;
  return new StatusError('Forbidden', message, { ...(a.name ? { name: a.name } : {}), group: a.apiGroup, kind: a.resource });
}
