// Typed inversify service identifiers: a symbol that carries the type of what is bound to it,
// so `c.bind(ID)` and `c.get(ID)` infer that type and a binding and its consumer cannot disagree
// (binding a string to ServiceId<Storage>, or reading it as a Logger, fails the type check).
import type { ServiceIdentifier } from 'inversify';

/** The phantom `__service` member exists only in the type; at run time an id is a plain symbol. */
export type ServiceId<T> = ServiceIdentifier<T> & { readonly __service?: (value: T) => T };

export function serviceId<T>(name: string): ServiceId<T> {
  return Symbol(name) as unknown as ServiceId<T>;
}
