// The human summary printed at the end of a run: each suite's figures, then every goal and whether
// it is met. Markdown tables, so a run can be pasted into docs/benchmarks.md as it is.
import { REF_FLOOR_MS, size } from './lib.mjs';

const LABELS = {
  floor: 'floor: raw better-sqlite3 / COPY, members + chained audit', 'sqlite-utils': 'sqlite-utils insert --csv (bare CSV)',
  sqlite3: 'sqlite3 .import --csv (bare CSV)', apply: 'apply into an empty workspace', reapply: 're-apply, unchanged',
  change1pct: 'apply with 1% changed', export: 'export', exportYaml: 'export --format yaml', list: 'member list --json', verify: 'audit verify',
  prune: 'apply --prune, removing all but the admin', listRemoved: 'member list --status deleted --json',
  auditBatch: "audit list --batch (the prune's) --json", restoreBatch: 'member restore --batch (the prune)',
  googleApply: 'apply a Google "Download users" export',
};

function label(key, rows) {
  const big = key.endsWith('1M');
  const base = LABELS[big ? key.slice(0, -2) : key] ?? key;
  return typeof rows === 'object' ? `${base}, ${size(big ? rows.big : rows.small)} rows` : base;
}

function table(head, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

const times = (x) => (x == null ? 'n/a' : `${x}×`);
const seconds = (ms) => (ms == null ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);

function figures(r) {
  const rows = Object.entries(r.figures).map(([k, v]) => [
    label(k, r.rows), v ? seconds(v.ms) : 'not measured', v ? v.runs.map(seconds).join(', ') : '', v ? `${v.rssMb} MB` : '',
    r.vsFloor?.[k] != null ? `${r.vsFloor[k]}×` : '',
  ]);
  return table(['figure', 'median', 'rounds', 'peak RSS', '× floor'], rows);
}

export function summary(run) {
  const out = [`rollcall bench, ${run.at}, ${run.machine.cpus}× ${run.machine.cpu}, Node ${run.node}, commit ${run.commit}`,
    `load average: ${run.loadavg.start.join(' ')} at the start, ${run.loadavg.end.join(' ')} at the end`];
  for (const r of run.results) {
    out.push('', `## ${r.name}${r.runs ? ` (median of ${r.runs})` : ''}${r.interrupted ? ', interrupted: the rounds done' : ''}`);
    if (r.figures) out.push(figures(r));
    if (r.scim) {
      out.push(table(['backend', 'requests', 'seconds', 'requests/s', '× Graph (20 writes/s)', 'p50', 'p99', 'max', 'failed'],
        r.scim.map((x) => [x.backend, x.requests, x.seconds, x.perSecond, `${x.vsGraph}×`, `${x.p50Ms} ms`, `${x.p99Ms} ms`, `${x.maxMs} ms`, x.failures])));
    }
    if (r.nodeMs) out.push(`rollcall ${r.rollcallMs} ms, node -e '' ${r.nodeMs} ms: ${r.ratio}×`);
    if (r.applyVsSqliteUtils != null) out.push(`apply ÷ sqlite-utils: ${r.applyVsSqliteUtils}×`);
    if (r.bigVsSmall) out.push(`${r.rows.big} ÷ ${r.rows.small} rows: ${Object.entries(r.bigVsSmall).map(([k, v]) => `${k} ${times(v)}`).join(', ')}`);
    for (const n of r.notes ?? []) out.push(`note: ${n}`);
  }
  const goals = run.results.flatMap((r) => r.goals ?? []);
  const met = goals.filter((g) => g.met === true).length;
  const unmeasured = goals.filter((g) => g.met == null).length;
  const shown = (g) => (g.value == null ? 'n/a' : g.unit === '×' ? `${g.value}×` : `${g.value} ${g.unit}`);
  out.push('', `## goals (issue 21): ${met} of ${goals.length} met${unmeasured ? `, ${unmeasured} not measured` : ''}`,
    table(['goal', 'figure', 'target', 'met', `at the issue's floor (${REF_FLOOR_MS} ms)`], goals.map((g) => [
      g.goal, shown(g), g.target, g.met == null ? `n/a${g.note ? ` (${g.note})` : ''}` : g.met ? 'yes' : 'no',
      g.scaled == null ? '' : `${g.scaled} ms: ${g.metScaled ? 'yes' : 'no'}`,
    ])));
  if (goals.some((g) => g.scaled != null)) {
    out.push(`Time goals were set where the floor took ${REF_FLOOR_MS} ms; the last column is the figure scaled by that floor ÷ this run's floor (its ratio to the floor, in the issue's seconds).`);
  }
  return out.join('\n');
}
