// kplane: the control plane binary. Subcommands:
//   kplane start [flags]   run the API server (and controllers) on the embedded storage
import { runMain, UsageError } from '../../pkg/options/flags.ts';
import { START_FLAGS, startOptionsSchema } from './options.ts';
import { loadConfig, usageWithSources } from '../../pkg/options/config.ts';
import { runStart } from './start.ts';

const HELP = `kplane: a multi-tenant, kcp-style control plane for SyncTargets

Usage: kplane <command> [flags]

Commands:
  start        run the API server and controllers
  controllers  run the controllers against a running kplane (--kubeconfig)
  workload     sync, cordon, uncordon, drain SyncTargets

Run "kplane <command> --help" for a command's flags.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start': {
      // Flags, KPLANE_* environment and --config FILE, one zod schema (pkg/options/config.ts).
      const { values } = loadConfig(START_FLAGS, startOptionsSchema, { argv: rest, env: process.env });
      if (values.help) {
        process.stdout.write(usageWithSources('kplane start', 'Run the kplane API server and controllers.', START_FLAGS) + '\n');
        return 0;
      }
      await runStart(values);
      return 0;
    }
    case 'controllers': {
      const { runControllers } = await import('./controllers.ts');
      return runControllers(rest);
    }
    case 'workload': {
      // Loaded on demand: `kplane start` need not parse the workload command's code.
      const { runWorkload } = await import('./workload.ts');
      return runWorkload(rest);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP + '\n');
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

runMain(main);
