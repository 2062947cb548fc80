import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { applyPragmas, DEFAULT_WAL_AUTOCHECKPOINT_PAGES } from './schema.ts';

function withDb(fn: (db: DatabaseSync) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'kplane-schema-'));
  const db = new DatabaseSync(join(dir, 'x.db'));
  try {
    fn(db);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const pragma = (db: DatabaseSync, name: string): unknown => Object.values(db.prepare(`PRAGMA ${name}`).get() ?? {})[0];

test('applyPragmas: WAL, the checkpoint interval (default and chosen), and a bad interval refused', () => {
  withDb((db) => {
    applyPragmas(db, 'full');
    assert.equal(pragma(db, 'journal_mode'), 'wal');
    assert.equal(pragma(db, 'wal_autocheckpoint'), DEFAULT_WAL_AUTOCHECKPOINT_PAGES);
    assert.equal(pragma(db, 'synchronous'), 2); // FULL
  });
  withDb((db) => {
    applyPragmas(db, 'normal', 1000);
    assert.equal(pragma(db, 'wal_autocheckpoint'), 1000);
    assert.equal(pragma(db, 'synchronous'), 1); // NORMAL
  });
  withDb((db) => {
    for (const bad of [0, -1, 1.5, Number.NaN]) assert.throws(() => applyPragmas(db, 'full', bad), RangeError);
  });
});
