// Name and label validators with apimachinery's wording (k8s.io/apimachinery/pkg/util/validation),
// so `kubectl` users see the same messages as against a real API server. Each returns a list
// of problems; an empty list means valid.

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_LABEL_RE = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
export const DNS1123_LABEL_MAX_LENGTH = 63;
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_RE = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const QUALIFIED_NAME_MAX_LENGTH = 63;
const LABEL_VALUE_RE = new RegExp(`^(${QUALIFIED_NAME_FMT})?$`);
const CONFIG_MAP_KEY_RE = /^[-._a-zA-Z0-9]+$/;

function maxLenError(n: number): string {
  return `must be no more than ${n} characters`;
}

function regexError(msg: string, fmt: string, examples: string[]): string {
  const ex = examples.map((e) => `'${e}'`).join(', or ');
  return `${msg} (e.g. ${ex}, regex used for validation is '${fmt}')`;
}

/** RFC 1123 label: at most 63 lower-case alphanumerics or '-', alphanumeric at both ends (Namespace names). */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!DNS1123_LABEL_RE.test(value)) {
    errs.push(regexError(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
      DNS1123_LABEL_FMT, ['my-name', '123-abc']));
  }
  return errs;
}

/** RFC 1123 subdomain: dot-separated labels, at most 253 characters (most object names). */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!DNS1123_SUBDOMAIN_RE.test(value)) {
    errs.push(regexError(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
      DNS1123_SUBDOMAIN_FMT, ['example.com']));
  }
  return errs;
}

/** Names that only have to be usable as one URL path segment (RBAC objects such as `system:admin`). */
export function isValidPathSegmentName(value: string): string[] {
  if (value === '.' || value === '..') return [`may not be '${value}'`];
  const errs: string[] = [];
  for (const bad of ['/', '%']) {
    if (value.includes(bad)) errs.push(`may not contain '${bad}'`);
  }
  return errs;
}

/**
 * A name validator as apimachinery's ValidateNameFunc: with `prefix` the value is a
 * generateName, whose trailing '-' is allowed because random characters follow it.
 */
export type NameValidator = (name: string, prefix: boolean) => string[];

function asNameValidator(check: (v: string) => string[]): NameValidator {
  return (name, prefix) => check(prefix ? maskTrailingDash(name) : name);
}

function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -1)}a` : name;
}

export const validateDNS1123SubdomainName: NameValidator = asNameValidator(isDNS1123Subdomain);
export const validateDNS1123LabelName: NameValidator = asNameValidator(isDNS1123Label);
export const validatePathSegmentName: NameValidator = (name) => isValidPathSegmentName(name);

/** Label and annotation keys: optional DNS subdomain prefix, '/', then a qualified name. */
export function isQualifiedName(value: string): string[] {
  const parts = value.split('/');
  let name: string;
  const errs: string[] = [];
  if (parts.length === 1) {
    name = parts[0] ?? '';
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const e of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${e}`);
  } else {
    return [regexError(
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      QUALIFIED_NAME_FMT, ['MyName', 'my.name', '123-abc']) + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > QUALIFIED_NAME_MAX_LENGTH) errs.push(`name part ${maxLenError(QUALIFIED_NAME_MAX_LENGTH)}`);
  if (name.length > 0 && !QUALIFIED_NAME_RE.test(name)) {
    errs.push(`name part ${regexError(
      "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      QUALIFIED_NAME_FMT, ['MyName', 'my.name', '123-abc'])}`);
  }
  return errs;
}

/** Label values: empty, or a qualified name part of at most 63 characters. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > QUALIFIED_NAME_MAX_LENGTH) errs.push(maxLenError(QUALIFIED_NAME_MAX_LENGTH));
  if (!LABEL_VALUE_RE.test(value)) {
    errs.push(regexError(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      QUALIFIED_NAME_FMT, ['MyValue', 'my_value', '12345']));
  }
  return errs;
}

/** ConfigMap and Secret data keys. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!CONFIG_MAP_KEY_RE.test(value)) {
    errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
      '[-._a-zA-Z0-9]+', ['key.name', 'KEY_NAME', 'key-name']));
  }
  if (value === '.' || value === '..' || value.startsWith('..')) errs.push(`must not be '.' or '..' or start with '..'`);
  return errs;
}
