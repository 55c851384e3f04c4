// What every suite shares: the CLI under /usr/bin/time, workspaces and their snapshots, the rosters,
// medians over rounds, and goals that say whether they are met.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(new URL('..', import.meta.url).pathname);
export const BIN = join(ROOT, 'bin/rollcall');
/** Rows of the main roster benchmarks (issue 21's table is for 100,000). */
export const N = Number(process.env.BENCH_ROWS || 100_000);
/** Rounds per figure; each figure is the median of its rounds. */
export const RUNS = Math.max(1, Number(process.env.BENCH_RUNS || 3));

export function median(xs) {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** 100000 → '100k', 1000000 → '1M': row counts in goal names. */
export const size = (n) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));
export const ratio = (a, b) => (a == null || b == null || b === 0 ? null : +(a / b).toFixed(2));
export const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
export const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

export function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim() || null;
}

/** Ctrl-C during a run: the command measured then dies, and the rounds done so far are kept. */
export class Interrupted extends Error {}
export const stop = { requested: false };
export function keepRoundsOnSignal() {
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { stop.requested = true; });
}

/**
 * Runs a command under /usr/bin/time: wall milliseconds (process start to exit) and peak RSS in
 * MB. Standard output goes to /dev/null (a read's output is written, not piped back to us) unless
 * `capture`; the exit statuses in `ok` count as success (rollcall's 10: applied with warnings).
 */
export function timedProcess(cmd, args, { env = process.env, input, ok = [0], capture = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-time-'));
  const rssFile = join(dir, 'rss');
  const devNull = openSync('/dev/null', 'w');
  try {
    const t = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', rssFile, cmd, ...args],
      { env, input, stdio: [input == null ? 'ignore' : 'pipe', capture ? 'pipe' : devNull, 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26 });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.signal || (!ok.includes(r.status) && [130, 143].includes(r.status))) throw new Interrupted(`${cmd} stopped by a signal`);
    if (!ok.includes(r.status)) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${String(r.stderr).slice(-2000)}`);
    const rssKb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    return { ms: Math.round(ms), rssMb: Math.round(rssKb / 1024), stdout: r.stdout };
  } finally {
    closeSync(devNull);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The CLI, as a user runs it. */
export function timed(args, env) {
  const { ms, rssMb } = timedProcess(process.execPath, [BIN, ...args], { env, ok: [0, 10] });
  return { ms, rssMb };
}

export function workspaceEnv(dir, ws) {
  const env = { ...process.env, ROLLCALL_WORKSPACE: ws, ROLLCALL_CONFIG_DIR: join(dir, 'cfg'), NO_COLOR: '1', CI: 'true' };
  delete env.ROLLCALL_TOKEN;
  return env;
}

/** `rollcall init` with a seat limit for twice the rows, signed in as admin@acme.example. */
export function setupWorkspace(dir, ws, rows = N) {
  const env = workspaceEnv(dir, ws);
  execFileSync(process.execPath, [BIN, 'init', '--name', 'Bench', '--domain', 'acme.example', '--admin', 'admin@acme.example',
    '--seat-limit', String(rows * 2), '--password-stdin'], { env, input: 'Adm1nPassw0rd!\n' });
  return env;
}

/** A SQLite workspace file with its -wal and -shm, copied aside or put back (a fresh copy per round). */
const SIDECARS = ['', '-wal', '-shm'];
export function snapshot(ws, to) {
  for (const s of SIDECARS) {
    rmSync(to + s, { force: true });
    if (existsSync(ws + s)) copyFileSync(ws + s, to + s);
  }
}
export const restore = (from, ws) => snapshot(from, ws);
export const removeDb = (path) => SIDECARS.forEach((s) => rmSync(path + s, { force: true }));

export function rosterCsv(n, changed = 0) {
  const lines = ['email,name,title,org'];
  for (let i = 0; i < n; i++) lines.push(`user${i}@acme.example,User ${i},${i < changed ? 'Lead' : 'Staff'},Dept${i % 50}`);
  return lines.join('\n') + '\n';
}

/** The same people as a Google Workspace "Download users" export (§13). */
export function googleCsv(n) {
  const lines = ['First Name [Required],Last Name [Required],Email Address [Required],Password [Required],Org Unit Path [Required],Employee Title,Status [READ ONLY]'];
  for (let i = 0; i < n; i++) lines.push(`User,${i},user${i}@acme.example,****,/Dept${i % 50},Staff,Active`);
  return lines.join('\n') + '\n';
}

/**
 * Runs `cases` in `runs` rounds, each case once per round in the order given (so a figure and
 * its floor are measured close together and drift on this shared machine hits both), and returns
 * per case: the median wall time, every round's time, and the peak RSS over the rounds.
 * A case is { name, setup?(round), run(round) → { ms, rssMb } | null }; null means "not measured".
 * Interrupted (Ctrl-C), it stops and returns the rounds done so far; `stop.requested` tells the run.
 */
export function rounds(cases, runs = RUNS) {
  const seen = Object.fromEntries(cases.map((c) => [c.name, []]));
  try {
    for (let r = 0; r < runs && !stop.requested; r++) {
      for (const c of cases) {
        c.setup?.(r);
        const m = c.run(r);
        if (m) log(`${c.name} #${r + 1}: ${m.ms} ms, ${m.rssMb} MB`);
        if (m) seen[c.name].push(m);
      }
    }
  } catch (e) {
    if (!(e instanceof Interrupted) && !['SIGINT', 'SIGTERM'].includes(e.signal)) throw e;
    stop.requested = true;
    log('interrupted: keeping the rounds measured so far');
  }
  return Object.fromEntries(Object.entries(seen).map(([name, ms]) => [name, ms.length
    ? { ms: Math.round(median(ms.map((m) => m.ms))), runs: ms.map((m) => m.ms), rssMb: Math.max(...ms.map((m) => m.rssMb)) }
    : null]));
}

/**
 * One goal of issue 21: `value` against `limit` (value ≤ limit, or value < limit when `strict`).
 * `met` is null when either side was not measured.
 */
/**
 * The floor's time when issue 21 set its goals in seconds (0.7–0.8 s). This machine is shared and
 * its speed drifts several-fold between runs, so a time goal is also judged at that scale: the
 * figure × REF_FLOOR_MS ÷ this run's floor (`floor` below), which is its ratio to the floor, in the
 * issue's seconds.
 */
export const REF_FLOOR_MS = 750;

export function goal(what, value, limit, { unit = 'ms', target, strict = false, note, floor } = {}) {
  const meets = (x) => (x == null || limit == null ? null : strict ? x < limit : x <= limit);
  const shown = (x) => (x == null ? 'n/a' : unit === '×' ? `${x}×` : `${x} ${unit}`);
  const scaled = unit === 'ms' && floor && value != null ? Math.round((value * REF_FLOOR_MS) / floor) : null;
  return {
    goal: what, value, unit, limit: limit == null ? null : +(+limit).toFixed(2), target: target ?? `${strict ? '<' : '≤'} ${shown(limit)}`, met: meets(value),
    ...(scaled != null ? { scaled, metScaled: meets(scaled) } : {}), ...(note ? { note } : {}),
  };
}
