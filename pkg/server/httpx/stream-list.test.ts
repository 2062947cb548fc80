import assert from 'node:assert/strict';
import { createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { writeJSONList } from './stream-list.ts';

/** Serve one reply written by `write` on a local HTTP server; return what a client received. */
async function roundTrip(write: (res: ServerResponse) => Promise<void>, consume: 'text' | 'count' = 'text') {
  const server = createServer((_req, res) => void write(res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise<{ headers: Record<string, unknown>; text: string; bytes: number; tail: string }>((resolve, reject) => {
      request({ port, host: '127.0.0.1' }, (res) => {
        let text = '';
        let bytes = 0;
        let tail = '';
        res.setEncoding('latin1');
        res.on('data', (d: string) => {
          bytes += d.length;
          if (consume === 'text') text += d;
          else tail = (tail + d).slice(-64);
        });
        res.on('end', () => resolve({ headers: res.headers, text, bytes, tail }));
        res.on('error', reject);
      })
        .on('error', reject)
        .end();
    });
  } finally {
    server.close();
  }
}

test('a small list is one piece with Content-Length and parses back', async () => {
  const got = await roundTrip((res) => writeJSONList(res, 200, { kind: 'XList', metadata: { resourceVersion: '5' } }, 'items', [{ a: 1 }, { a: 2 }], (o) => ({ ...o, kind: 'X' })));
  assert.equal(got.headers['content-length'], String(got.bytes));
  assert.deepEqual(JSON.parse(got.text), { kind: 'XList', metadata: { resourceVersion: '5' }, items: [{ a: 1, kind: 'X' }, { a: 2, kind: 'X' }] });
  const empty = await roundTrip((res) => writeJSONList(res, 200, {}, 'rows', []));
  assert.deepEqual(JSON.parse(empty.text), { rows: [] });
});

test('a large list streams in chunks and parses back', async () => {
  const items = Array.from({ length: 50 }, (_, i) => ({ i, data: 'y'.repeat(20_000) }));
  const got = await roundTrip((res) => writeJSONList(res, 200, { kind: 'XList' }, 'items', items));
  assert.equal(got.headers['content-length'], undefined);
  assert.equal(got.headers['transfer-encoding'], 'chunked');
  assert.deepEqual(JSON.parse(got.text), { kind: 'XList', items });
});

test('a list longer than the longest possible string is still written', async () => {
  // The same 1 MiB object 600 times: ~600 MiB of JSON, past V8's ~512 MiB string limit.
  const one = { data: 'z'.repeat(1024 * 1024) };
  const items = Array.from({ length: 600 }, () => one);
  assert.throws(() => JSON.stringify({ items }), RangeError, 'the one-string encoding really is impossible');
  const got = await roundTrip((res) => writeJSONList(res, 200, { kind: 'XList' }, 'items', items), 'count');
  assert.ok(got.bytes > 600 * 1024 * 1024, `${got.bytes} bytes`);
  assert.ok(got.tail.endsWith('"}]}'), got.tail);
});
