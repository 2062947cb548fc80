// Layered configuration for kplane's commands: every flag may also come from the environment
// (`--secure-port` ↔ KPLANE_SECURE_PORT) or from a YAML file given by `--config FILE` (or
// KPLANE_CONFIG) whose keys are the flag names. Precedence: flag > environment > file > default.
// The merged raw values go through the command's one zod schema, so every source is validated
// the same way, and an error names the source that supplied the bad value.
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parse as parseYAML } from 'yaml';
import type { z } from 'zod';
import { type FlagSpec, UsageError } from './flags.ts';

export const CONFIG_FLAG = 'config';
/** Flags that make no sense outside the command line. */
const COMMAND_LINE_ONLY = new Set(['help', CONFIG_FLAG]);

export type ValueSource = 'flag' | 'env' | 'file' | 'default';

export interface ConfigInput {
  argv: string[];
  env?: NodeJS.ProcessEnv;
  /** Defaults to KPLANE. */
  envPrefix?: string;
  /** For tests; defaults to reading the file from disk. */
  readFile?: (path: string) => string;
}

export interface LoadedConfig<T> {
  values: T;
  positionals: string[];
  /** Where each option set by the user came from (absent keys took the schema's default). */
  sources: Record<string, ValueSource>;
  /** The config file that was read, if any. */
  configFile?: string;
}

/** `secure-port` → `KPLANE_SECURE_PORT`. */
export function envName(flag: string, prefix = 'KPLANE'): string {
  return `${prefix}_${flag.toUpperCase().replace(/-/g, '_')}`;
}

type Raw = string | boolean;

export function loadConfig<S extends z.ZodType>(specs: Record<string, FlagSpec>, schema: S, input: ConfigInput): LoadedConfig<z.infer<S>> {
  const prefix = input.envPrefix ?? 'KPLANE';
  const env = input.env ?? {};
  const allSpecs: Record<string, FlagSpec> = { ...specs, [CONFIG_FLAG]: configFlagSpec(prefix) };

  const options: ParseArgsConfig['options'] = {};
  for (const [name, spec] of Object.entries(allSpecs)) options[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}) };
  let parsed;
  try {
    parsed = parseArgs({ args: input.argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!);
  }
  const fromFlags = parsed.values as Record<string, Raw | undefined>;

  const merged: Record<string, Raw> = {};
  const sources: Record<string, ValueSource> = {};
  const origin: Record<string, string> = {};

  const configFile = typeof fromFlags[CONFIG_FLAG] === 'string' ? fromFlags[CONFIG_FLAG] : nonEmpty(env[envName(CONFIG_FLAG, prefix)]);
  if (configFile !== undefined) {
    const fileValues = readConfigFile(configFile, specs, input.readFile ?? ((p) => readFileSync(p, 'utf8')));
    for (const [k, v] of Object.entries(fileValues)) {
      merged[k] = v;
      sources[k] = 'file';
      origin[k] = `${configFile}: ${k}`;
    }
  }
  for (const [name, spec] of Object.entries(specs)) {
    if (COMMAND_LINE_ONLY.has(name)) continue;
    const e = envName(name, prefix);
    const v = nonEmpty(env[e]);
    if (v === undefined) continue;
    merged[name] = spec.type === 'boolean' ? parseBool(v, e) : v;
    sources[name] = 'env';
    origin[name] = e;
  }
  for (const [name, v] of Object.entries(fromFlags)) {
    if (name === CONFIG_FLAG || v === undefined) continue;
    merged[name] = v;
    sources[name] = 'flag';
    origin[name] = `--${name}`;
  }

  const result = schema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = issue.path.length > 0 ? String(issue.path[0]) : undefined;
    const where = key === undefined ? 'options' : `--${key}${origin[key] && sources[key] !== 'flag' ? ` (from ${origin[key]})` : ''}`;
    throw new UsageError(`invalid value for ${where}: ${issue.message}`);
  }
  return { values: result.data, positionals: parsed.positionals, sources, ...(configFile !== undefined ? { configFile } : {}) };
}

/** Read a YAML mapping of flag names to values; unknown keys are errors (typos must not pass silently). */
export function readConfigFile(path: string, specs: Record<string, FlagSpec>, read: (path: string) => string): Record<string, Raw> {
  let text: string;
  try {
    text = read(path);
  } catch (err) {
    throw new UsageError(`cannot read config file ${path}: ${(err as Error).message.split('\n')[0]}`);
  }
  let doc: unknown;
  try {
    doc = parseYAML(text);
  } catch (err) {
    throw new UsageError(`config file ${path} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(`config file ${path} must be a YAML mapping of flag names to values`);
  const out: Record<string, Raw> = {};
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    const spec = specs[key];
    if (!spec || COMMAND_LINE_ONLY.has(key)) throw new UsageError(`config file ${path}: unknown key "${key}" (keys are the flag names, e.g. secure-port)`);
    out[key] = toRaw(value, spec, `${path}: ${key}`);
  }
  return out;
}

function toRaw(value: unknown, spec: FlagSpec, where: string): Raw {
  if (spec.type === 'boolean') {
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string') return parseBool(value, where);
    throw new UsageError(`${where}: must be true or false`);
  }
  // YAML gives numbers for `secure-port: 6443` and lists for `etcd-servers: [a, b]`.
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(',');
  throw new UsageError(`${where}: must be a string, number or list of strings`);
}

function parseBool(v: string, where: string): boolean {
  if (/^(true|1|yes)$/i.test(v)) return true;
  if (/^(false|0|no)$/i.test(v)) return false;
  throw new UsageError(`${where}: must be true or false, got "${v}"`);
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

function configFlagSpec(prefix: string): FlagSpec {
  return { type: 'string', description: `YAML file whose keys are these flag names (env ${envName(CONFIG_FLAG, prefix)})` };
}

/** `--help` text: each flag with its default and its environment variable. */
export function usageWithSources(command: string, summary: string, specs: Record<string, FlagSpec>, prefix = 'KPLANE'): string {
  const lines = [
    `Usage: ${command} [flags]`,
    '',
    summary,
    '',
    `Every flag can also be set by its environment variable or by a key of the YAML file given`,
    `with --config (precedence: flag > environment > file > default).`,
    '',
    'Flags:',
  ];
  for (const [name, spec] of Object.entries({ ...specs, [CONFIG_FLAG]: configFlagSpec(prefix) })) {
    const flag = `  ${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ' value' : ''}`;
    const def = spec.default !== undefined ? ` (default ${JSON.stringify(spec.default)})` : '';
    const env = COMMAND_LINE_ONLY.has(name) ? '' : ` [${envName(name, prefix)}]`;
    lines.push(`${flag.padEnd(34)} ${spec.description}${def}${env}`);
  }
  return lines.join('\n');
}
