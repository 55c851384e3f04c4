// The floor of issue 21, run in its own process (as the CLI is) and timed from inside it:
//   node bench/floor.mjs sqlite FILE ROWS   a raw better-sqlite3 insert of the same ROWS member rows
//                                           plus ROWS hash-chained audit rows, in one transaction,
//                                           with rollcall's pragmas (WAL, synchronous FULL, 32 MiB cache)
//   node bench/floor.mjs pg URL ROWS        the same rows written with raw COPY in one transaction
// Prints {"ms": …}: from the first row built to COMMIT (SQLite: to close), after the tables exist.
// Node's start-up and opening the database are not in it, so the floor is a little lower than
// anything a process could do.
import { createHash, randomBytes } from 'node:crypto';

const [kind, target, rowsArg] = process.argv.slice(2);
const ROWS = Number(rowsArg);
const NOW = new Date().toISOString();
const ACTOR = 'admin@acme.example';
// The 50 orgs the roster names (Dept0 … Dept49), as the member rows point at them.
const ORGS = Array.from({ length: 50 }, () => 'o_' + randomBytes(8).toString('hex'));

const MEMBERS = `CREATE TABLE members (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, title TEXT,
  org_id TEXT, org_ids TEXT NOT NULL, role TEXT NOT NULL, scope TEXT NOT NULL, registered INTEGER NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`;
const AUDIT = (seq) => `CREATE TABLE audit (seq ${seq} PRIMARY KEY, at TEXT NOT NULL, actor TEXT, action TEXT NOT NULL,
  target TEXT NOT NULL, batch TEXT NOT NULL, body TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)`;

// Member ids are consecutive 64-bit numbers from a random start, as rollcall makes them
// (src/core/ids.ts): random ones put a million-row insert's keys at a million places in the index.
const start = randomBytes(8);
let high = start.readUInt32BE(0);
let low = start.readUInt32BE(4) - 1;
const hex8 = (n) => n.toString(16).padStart(8, '0');
function nextId() {
  if (low === 0xffffffff) {
    low = 0;
    high = (high + 1) >>> 0;
  } else {
    low++;
  }
  return hex8(high) + hex8(low);
}

/** Row i of each table; the audit row chained to `prev`. */
function rows(i, prev) {
  const email = `user${i}@acme.example`;
  const member = ['m_' + nextId(), email, `User ${i}`, 'Staff', ORGS[i % 50], '[]', 'viewer', '[]', 0, NOW, NOW];
  const body = JSON.stringify({ action: 'member.add', target: email, after: { email, name: `User ${i}`, title: 'Staff' } });
  const hash = createHash('sha256').update(prev + '\n' + body).digest('hex');
  return { member, audit: [i + 1, NOW, ACTOR, 'member.add', email, 'b', body, prev, hash], hash };
}

async function sqlite(file) {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('cache_size = -32768');
  db.exec(`${MEMBERS}; ${AUDIT('INTEGER')};`);
  const t = process.hrtime.bigint();
  const m = db.prepare('INSERT INTO members VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const a = db.prepare('INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    let prev = '';
    for (let i = 0; i < ROWS; i++) {
      const r = rows(i, prev);
      m.run(...r.member);
      a.run(...r.audit);
      prev = r.hash;
    }
  })();
  db.close();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function postgres(url) {
  const { default: pg } = await import('pg');
  const { default: copyStreams } = await import('pg-copy-streams');
  const { Readable } = await import('node:stream');
  const { pipeline } = await import('node:stream/promises');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`${MEMBERS}; ${AUDIT('BIGINT')};`);
  const q = (s) => '"' + String(s).replace(/"/g, '""') + '"';
  const t = process.hrtime.bigint();
  await client.query('BEGIN');
  const members = [];
  const audit = [];
  let prev = '';
  for (let i = 0; i < ROWS; i++) {
    const r = rows(i, prev);
    members.push(r.member.map(q).join(',') + '\n');
    audit.push(r.audit.map(q).join(',') + '\n');
    prev = r.hash;
  }
  await pipeline(Readable.from(members), client.query(copyStreams.from('COPY members FROM STDIN WITH (FORMAT csv)')));
  await pipeline(Readable.from(audit), client.query(copyStreams.from('COPY audit FROM STDIN WITH (FORMAT csv)')));
  await client.query('COMMIT');
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  await client.end();
  return ms;
}

const ms = kind === 'sqlite' ? await sqlite(target) : kind === 'pg' ? await postgres(target) : null;
if (ms == null) throw new Error('usage: node bench/floor.mjs sqlite FILE ROWS | pg URL ROWS');
process.stdout.write(JSON.stringify({ ms: Math.round(ms) }) + '\n');
