// Boolean query parameters (watch, allowWatchBookmarks, force, sendInitialEvents, pretty, …)
// parsed in one place, with the spellings of Go's strconv.ParseBool. Clients differ in how
// they print booleans: kubectl and client-go send `true`, the official Python client sends
// `True` (str() of a Python bool), curl users write `1`. Before this parser only `true` and
// `1` counted, so `watch=True` was served as a list and `force=True` was ignored.
//
// kube-apiserver is laxer still (anything but `0`/`false` is true, even `yes`); kplane
// answers a value it cannot read with 400 instead of guessing (docs/api-compatibility.md).
import { newBadRequest } from '../../apierrors/errors.ts';

const TRUE_FORMS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_FORMS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** The boolean query parameters kplane reads; each is checked on every resource request. */
export const BOOLEAN_QUERY_PARAMS = ['watch', 'allowWatchBookmarks', 'force', 'sendInitialEvents', 'pretty'] as const;

/** strconv.ParseBool: the value, or undefined when it is not one of the twelve forms. */
export function parseBool(value: string): boolean | undefined {
  if (TRUE_FORMS.has(value)) return true;
  if (FALSE_FORMS.has(value)) return false;
  return undefined;
}

/** A boolean query parameter: absent is false; a value that is not a boolean is 400. */
export function queryBool(url: URL, name: string): boolean {
  const v = url.searchParams.get(name);
  if (v === null) return false;
  const b = parseBool(v);
  if (b === undefined) throw newBadRequest(`invalid boolean value for query parameter "${name}": ${JSON.stringify(v)} (use true or false)`);
  return b;
}

/** Reject a request whose known boolean parameters are unreadable, before anything else runs. */
export function checkBoolParams(url: URL): void {
  for (const name of BOOLEAN_QUERY_PARAMS) queryBool(url, name);
}
