// Command-line flags for kplane's binaries: node:util parseArgs does the splitting, a zod
// schema does typing, defaults and validation. Errors are one line (exit code 2), never a stack.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { z } from 'zod';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  description: string;
  default?: string;
}

/** Parse argv against flag specs and a zod schema (keys are the flag names, kebab-case). */
export function parseFlags<S extends z.ZodType>(
  argv: string[],
  specs: Record<string, FlagSpec>,
  schema: S,
): { values: z.infer<S>; positionals: string[] } {
  const options: ParseArgsConfig['options'] = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}) };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!);
  }
  const result = schema.safeParse(parsed.values);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const flag = issue.path.length > 0 ? `--${String(issue.path[0])}` : 'flags';
    throw new UsageError(`invalid value for ${flag}: ${issue.message}`);
  }
  return { values: result.data, positionals: parsed.positionals };
}

export function usage(command: string, summary: string, specs: Record<string, FlagSpec>): string {
  const lines = [`Usage: ${command} [flags]`, '', summary, '', 'Flags:'];
  for (const [name, spec] of Object.entries(specs)) {
    const flag = `  --${name}${spec.type === 'string' ? ' value' : ''}`;
    const def = spec.default !== undefined ? ` (default ${JSON.stringify(spec.default)})` : '';
    lines.push(`${flag.padEnd(34)} ${spec.description}${def}`);
  }
  return lines.join('\n');
}

/**
 * Run a command's main and exit with its code: a UsageError is a one-line message and exit 2
 * (a bad flag, an unknown command), any other error a one-line message and exit 1.
 */
export function runMain(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(err instanceof UsageError ? 2 : 1);
    },
  );
}
