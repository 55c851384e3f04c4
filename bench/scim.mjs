// The SCIM server under provisioning load (issue 25): BENCH_SCIM_CLIENTS (8) clients at once, each
// creating users (POST /Users) and updating each one it made (PATCH, Entra-style), BENCH_SCIM_USERS
// users in all (1,000 by default; the full run is 10,000), against `rollcall serve scim` on SQLite
// and, when ROLLCALL_TEST_PG is set, on PostgreSQL. Reported: requests per second and latency
// percentiles, next to the limit Microsoft Graph publishes for one app (3,000 writes per 150 s,
// 20 writes/s): a provider pushing at Graph's pace waits ≤ 50 ms per write.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, goal, loadavg, log, setupWorkspace, stop } from './lib.mjs';

const USERS = Number(process.env.BENCH_SCIM_USERS || 1000);
const CLIENTS = Math.max(1, Number(process.env.BENCH_SCIM_CLIENTS || 8));
const GRAPH_WRITES_PER_S = 3000 / 150;
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function startServer(env) {
  const proc = spawn(process.execPath, [BIN, 'serve', 'scim', '--port', '0', '--create-orgs'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (c) => {
      out += c;
      const m = /Listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    proc.once('exit', (code) => reject(new Error(`rollcall serve scim exited (${code}) before listening: ${out}`)));
  });
  return { url, stop: () => new Promise((resolve) => { proc.once('exit', resolve); proc.kill('SIGTERM'); }) };
}

/** CLIENTS loops sharing a counter: each takes the next user, creates it, then updates it. */
async function load(url, token, prefix) {
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' };
  const times = [];
  let failures = 0;
  let next = 0;
  const send = async (method, path, body) => {
    const t = performance.now();
    const res = await fetch(url + path, { method, headers, body: JSON.stringify(body) });
    const json = await res.json();
    times.push(performance.now() - t);
    if (res.status >= 300) failures++;
    return json;
  };
  const client = async () => {
    while (next < USERS && !stop.requested) {
      const i = next++;
      const made = await send('POST', '/Users', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `${prefix}${i}@acme.example`, externalId: `ext-${i}`,
        name: { givenName: 'User', familyName: String(i) }, title: 'Staff', active: true, [ENT]: { department: `Dept${i % 20}` },
      });
      if (made.id) await send('PATCH', `/Users/${made.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [
        { op: 'Replace', path: 'title', value: 'Lead' }, { op: 'Replace', path: 'active', value: i % 10 === 0 ? 'False' : 'True' },
      ] });
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const round = (x) => (x == null ? null : +x.toFixed(1));
  return {
    requests: times.length, failures, seconds: +seconds.toFixed(2), perSecond: +(times.length / seconds).toFixed(1),
    p50Ms: round(percentile(times, 50)), p99Ms: round(percentile(times, 99)), maxMs: round(times[times.length - 1]),
    msPerWrite: +((seconds * 1000) / times.length).toFixed(2),
  };
}

async function backend(kind, ws, dir) {
  const env = setupWorkspace(dir, ws, USERS);
  const token = JSON.parse(execFileSync(process.execPath, [BIN, 'token', 'create', '--name', 'scim', '--json'], { env })).token;
  const server = await startServer(env);
  try {
    log(`scim (${kind}): ${CLIENTS} clients, ${USERS} users at ${server.url}`);
    return { backend: kind, ...(await load(server.url, token, 'u')) };
  } finally {
    await server.stop();
  }
}

function pgUrl() {
  const url = process.env.ROLLCALL_TEST_PG?.replace(/\/+$/, '');
  if (!url) return { skip: 'PostgreSQL skipped: no server (set ROLLCALL_TEST_PG: eval "$(bash scripts/pg-server.sh start)")' };
  const r = spawnSync('psql', [`${url}/postgres`, '-qAtc', 'select 1'], { encoding: 'utf8' });
  return r.status === 0 ? { url } : { skip: `PostgreSQL skipped: the server at ${url} did not answer` };
}

export async function scimBench() {
  const loads = [loadavg()];
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-scim-'));
  const rows = [];
  const notes = [`Graph's published limit for one app: 3,000 writes per 150 s (${GRAPH_WRITES_PER_S} writes/s, one per 50 ms)`];
  const pg = pgUrl();
  const db = `rc_bench_scim_${process.pid}`;
  try {
    rows.push(await backend('sqlite', join(dir, 'ws.db'), join(dir, 'sqlite')));
    loads.push(loadavg());
    if (pg.url && !stop.requested) {
      spawnSync('psql', [`${pg.url}/postgres`, '-qAtc', `create database ${db}`]);
      rows.push(await backend('postgres', `${pg.url}/${db}`, join(dir, 'pg')));
      loads.push(loadavg());
    } else if (pg.skip) notes.push(pg.skip);
  } finally {
    if (pg.url) spawnSync('psql', [`${pg.url}/postgres`, '-qAtc', `drop database if exists ${db}`], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
  for (const r of rows) r.vsGraph = +(r.perSecond / GRAPH_WRITES_PER_S).toFixed(1);
  return {
    name: `scim: ${CLIENTS} clients creating and updating ${USERS} users`, users: USERS, clients: CLIENTS, loadavg: loads, scim: rows, notes,
    goals: rows.flatMap((r) => [
      goal(`SCIM on ${r.backend}: time per write at ${CLIENTS} clients, against Graph's pace (50 ms)`, r.msPerWrite, 1000 / GRAPH_WRITES_PER_S),
      goal(`SCIM on ${r.backend}: requests refused or failed`, r.failures, 0, { unit: '' }),
    ]),
  };
}
