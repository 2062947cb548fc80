// Child process for crash.test.ts: writes as fast as it can with several concurrent
// writers and prints "<key> <resourceVersion>" for every write acknowledged to it.
// The parent kills it with SIGKILL at an arbitrary moment.
import { openSqliteStorage } from '../../../pkg/storage/sqlite/index.ts';

const [dir, round = '0', fsync = 'commit'] = process.argv.slice(2);
if (!dir) throw new Error('usage: crash-writer.ts <dir> [round] [commit|thread-pool]');
if (fsync !== 'commit' && fsync !== 'thread-pool') throw new Error(`unknown fsync mode ${fsync}`);
const storage = await openSqliteStorage({ dir, fsync });
const writers = 8;

await Promise.all(
  Array.from({ length: writers }, async (_, w) => {
    for (let i = 0; ; i++) {
      const key = `/registry/crash.kplane.io/things/root/r${round}-w${w}-${i}`;
      const created = await storage.create(key, { metadata: { name: `r${round}-w${w}-${i}` }, spec: { payload: 'x'.repeat(200) } });
      // stdout to a pipe is synchronous on Linux: once this returns the parent can see it.
      process.stdout.write(`${key} ${String(created.metadata?.['resourceVersion'])}\n`);
    }
  }),
);
