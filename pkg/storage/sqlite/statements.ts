// Every SQL statement the backend runs, prepared once. Rows come back as plain objects;
// the row types below are the only place that knows the column names.
import type { DatabaseSync, StatementSync } from 'node:sqlite';

export interface CurrentRow {
  id: number;
  create_revision: number;
  value: string;
}

export interface ListRow {
  id: number;
  name: string;
  value: string;
}

export interface HistoryRow {
  id: number;
  name: string;
  created: number;
  deleted: number;
  prev_revision: number;
  value: string;
  prev_value: string | null;
}

export interface CountRow {
  n: number;
}

// Latest-at-revision for one name; used as a correlated subquery so a range scan over
// kv_name_id streams in key order and LIMIT can stop early.
const LATEST_AT = 'kv.id = (SELECT max(k2.id) FROM kv k2 WHERE k2.name = kv.name AND k2.id <= $rev)';

export class Statements {
  readonly getCurrent: StatementSync;
  readonly getCurrentId: StatementSync;
  readonly insertRow: StatementSync;
  readonly upsertCurrent: StatementSync;
  readonly deleteCurrent: StatementSync;
  readonly listLatestFirst: StatementSync;
  readonly listLatestAfter: StatementSync;
  readonly countLatestAfter: StatementSync;
  readonly listAtFirst: StatementSync;
  readonly listAtAfter: StatementSync;
  readonly countAtAfter: StatementSync;
  readonly historyPrefix: StatementSync;
  readonly historyKey: StatementSync;
  readonly maxId: StatementSync;
  readonly sequence: StatementSync;
  readonly minId: StatementSync;
  readonly getMeta: StatementSync;
  readonly setMeta: StatementSync;
  readonly compactChunk: StatementSync;

  constructor(db: DatabaseSync) {
    this.getCurrent = db.prepare(
      'SELECT kv.id, kv.create_revision, kv.value FROM current JOIN kv ON kv.id = current.id WHERE current.name = ?',
    );
    // The revision alone: enough to tell whether a cached copy is current (no value to fetch).
    this.getCurrentId = db.prepare('SELECT id FROM current WHERE name = ?');
    this.insertRow = db.prepare(
      'INSERT INTO kv (id, name, created, deleted, create_revision, prev_revision, value) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.upsertCurrent = db.prepare(
      'INSERT INTO current (name, id) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET id = excluded.id',
    );
    this.deleteCurrent = db.prepare('DELETE FROM current WHERE name = ?');

    const latest = 'SELECT current.name, kv.id, kv.value FROM current JOIN kv ON kv.id = current.id';
    this.listLatestFirst = db.prepare(`${latest} WHERE current.name >= $lo AND current.name < $hi ORDER BY current.name LIMIT $limit`);
    this.listLatestAfter = db.prepare(`${latest} WHERE current.name > $lo AND current.name < $hi ORDER BY current.name LIMIT $limit`);
    this.countLatestAfter = db.prepare('SELECT count(*) AS n FROM current WHERE name > $lo AND name < $hi');

    const at = `SELECT kv.name, kv.id, kv.value FROM kv`;
    const atWhere = `kv.name < $hi AND kv.id <= $rev AND kv.deleted = 0 AND ${LATEST_AT}`;
    this.listAtFirst = db.prepare(`${at} WHERE kv.name >= $lo AND ${atWhere} ORDER BY kv.name LIMIT $limit`);
    this.listAtAfter = db.prepare(`${at} WHERE kv.name > $lo AND ${atWhere} ORDER BY kv.name LIMIT $limit`);
    this.countAtAfter = db.prepare(`SELECT count(*) AS n FROM kv WHERE kv.name > $lo AND ${atWhere}`);

    const history =
      'SELECT k.id, k.name, k.created, k.deleted, k.prev_revision, k.value, p.value AS prev_value ' +
      'FROM kv k LEFT JOIN kv p ON p.id = k.prev_revision WHERE k.id > $from AND k.id <= $to';
    this.historyPrefix = db.prepare(`${history} AND k.name >= $lo AND k.name < $hi ORDER BY k.id LIMIT $limit`);
    this.historyKey = db.prepare(`${history} AND k.name = $key ORDER BY k.id LIMIT $limit`);

    this.maxId = db.prepare('SELECT coalesce(max(id), 0) AS n FROM kv');
    this.sequence = db.prepare("SELECT coalesce(max(seq), 0) AS n FROM sqlite_sequence WHERE name = 'kv'");
    this.minId = db.prepare('SELECT coalesce(min(id), 0) AS n FROM kv');
    this.getMeta = db.prepare('SELECT v AS n FROM meta WHERE k = ?');
    this.setMeta = db.prepare('INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v');
    // A row at or below the compaction revision goes when it is a tombstone or when a newer
    // row of the same key also sits at or below it. The newest live value survives.
    this.compactChunk = db.prepare(
      'DELETE FROM kv WHERE id >= $lo AND id < $hi AND id <= $rev AND (deleted = 1 OR id < ' +
        '(SELECT max(k2.id) FROM kv k2 WHERE k2.name = kv.name AND k2.id <= $rev))',
    );
  }
}
