import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { newLogger } from '../../log/logger.ts';
import { parseRequestInfo } from '../request/requestinfo.ts';
import { auditEvent } from './event.ts';
import { LogFileAuditSink } from './sink.ts';

const logger = newLogger({ format: 'json', level: 'error' });

function event(n: number) {
  const url = new URL(`https://x/clusters/root:a/api/v1/namespaces/ns/configmaps/cm-${n}`);
  return auditEvent({
    auditID: `id-${n}`,
    requestURI: url.pathname,
    info: parseRequestInfo('GET', url),
    user: { username: 'alice', groups: ['system:authenticated'] },
    impersonatedUser: undefined,
    sourceIP: '127.0.0.1',
    userAgent: 'test',
    code: 200,
    receivedAt: 0,
    completedAt: 1,
  });
}

test('events are appended as JSON lines to a 0600 file; a disk that falls behind drops, not buffers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kplane-audit-sink-'));
  try {
    const path = join(dir, 'audit.log');
    const first = new LogFileAuditSink(path, logger);
    first.write(event(0));
    await first.close();
    // A cap of 1 KiB: writing 200 events in one go must drop most of them.
    const second = new LogFileAuditSink(path, logger, 1024);
    for (let i = 1; i <= 200; i++) second.write(event(i));
    await second.close();
    assert.ok(second.dropped > 0, 'events beyond the cap were dropped');
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { auditID: string; objectRef: { name: string } });
    assert.equal(lines.length, 201 - second.dropped, 'what was not dropped was written, after the earlier file content');
    assert.equal(lines[0]!.auditID, 'id-0', 'append mode keeps earlier events');
    assert.equal(lines[1]!.objectRef.name, 'cm-1');
    assert.equal(statSync(path).mode & 0o777, 0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
