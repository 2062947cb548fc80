import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { eventually } from './eventually.ts';
import { TestClient } from './http.ts';
import { startKplane } from './kplane.ts';
import { LogFile } from './log-file.ts';

test('LogFile: whole lines only, from where the file stood, a character split across reads kept whole', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'log-file-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'kplane.log');
  assert.deepEqual(new LogFile(path).readLines(), [], 'no file yet: nothing');
  writeFileSync(path, 'from an earlier start\n');
  const log = new LogFile(path);
  assert.deepEqual(log.readLines(), [], 'lines before it was made are not its own');
  appendFileSync(path, 'one\ntw');
  assert.deepEqual(log.readLines(), ['one'], 'a partial last line waits');
  const euro = Buffer.from('€', 'utf8');
  appendFileSync(path, Buffer.concat([Buffer.from('o '), euro.subarray(0, 1)]));
  assert.deepEqual(log.readLines(), []);
  appendFileSync(path, Buffer.concat([euro.subarray(1), Buffer.from('\nthree\n')]));
  assert.deepEqual(log.readLines(), ['two €', 'three']);
  assert.deepEqual(log.readLines(), [], 'nothing new');
});

test("startKplane({ log: 'file' }): the server logs to <rootDir>/kplane.log, ready is found there, and `logs` reads what came since", async () => {
  await using kp = await startKplane({ log: 'file', args: ['--controllers', '-'] });
  assert.equal(kp.process.stderr, null, 'no pipe: the server writes the file itself');
  assert.ok(kp.logs.some((l) => l.message === 'kplane is ready'));
  const r = await new TestClient(kp.url, kp.caPem).withToken(kp.adminToken).get('/clusters/root/api/v1/namespaces/nope');
  assert.equal(r.status, 404);
  await eventually(() => {
    const logged = kp.logs.some((l) => l.message === 'request' && l.code === 404 && l.path === '/clusters/root/api/v1/namespaces/nope');
    return [logged, 'the request line read from the file'];
  }, { what: 'the request line in kplane.log' });
  assert.match(readFileSync(join(kp.rootDir, 'kplane.log'), 'utf8'), /"message":"kplane is ready"/);
});
