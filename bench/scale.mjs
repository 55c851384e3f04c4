// A million members (issue 21), `npm run bench -- scale`, minutes long, so not in the default run:
// apply into an empty workspace, re-apply unchanged, export, at 1,000,000 rows and at 100,000 in the
// same rounds; each 1M figure's goal is ≤ 10.5× its 100k figure (near-linear), and ≤ 600 MB peak.
// The floor at both sizes is there to show how much of any non-linearity SQLite itself brings.
// BENCH_SCALE_ROWS (1,000,000) and BENCH_SCALE_RUNS (BENCH_RUNS) change it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { N, RUNS, goal, size, loadavg, ratio, rosterCsv, rounds, timed } from './lib.mjs';
import { floorCase } from './peers.mjs';
import { emptyWorkspace } from './roster.mjs';

const BIG = Number(process.env.BENCH_SCALE_ROWS || 1_000_000);
const SCALE_RUNS = Math.max(1, Number(process.env.BENCH_SCALE_RUNS || RUNS));
const LINEAR = 10.5; // per 10× rows

export function scaleBench() {
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-scale-'));
  const load = [loadavg()];
  try {
    const sizes = [['', N], ['1M', BIG]].map(([suffix, rows]) => {
      const ws = emptyWorkspace(join(dir, `w${rows}`), join(dir, `ws${rows}.db`), rows);
      const file = join(dir, `roster${rows}.csv`);
      const out = join(dir, `out${rows}.csv`);
      writeFileSync(file, rosterCsv(rows));
      return [
        floorCase(`floor${suffix}`, 'sqlite', join(dir, `floor${rows}.db`), rows),
        { name: `apply${suffix}`, setup: ws.reset, run: () => timed(['apply', file, '--create-orgs'], ws.env) },
        { name: `reapply${suffix}`, run: () => timed(['apply', file], ws.env) },
        { name: `export${suffix}`, setup: () => rmSync(out, { force: true }), run: () => timed(['export', '-o', out], ws.env) },
      ];
    });
    const f = rounds(sizes.flat(), SCALE_RUNS);
    load.push(loadavg());
    const k = BIG / N;
    const ms = (name) => f[name]?.ms ?? null;
    const per = (name) => ratio(ms(`${name}1M`), ms(name));
    const peak = Math.max(...['apply1M', 'reapply1M', 'export1M'].map((name) => f[name]?.rssMb ?? 0)) || null;
    const limit = (name) => (ms(name) == null ? null : Math.round((LINEAR * k / 10) * ms(name)));
    return {
      name: `scale (SQLite): ${BIG} rows against ${N}`,
      rows: { small: N, big: BIG },
      runs: SCALE_RUNS,
      loadavg: load,
      figures: f,
      bigVsSmall: { apply: per('apply'), reapply: per('reapply'), export: per('export'), floor: per('floor') },
      peakRssMb: peak,
      goals: [
        ...['apply', 'reapply', 'export'].map((name) => goal(`${size(BIG)} ${name} ≤ ${LINEAR * k / 10}× the ${size(N)} figure (${ms(name) ?? 'n/a'} ms)`,
          ms(`${name}1M`), limit(name))),
        goal(`${size(BIG)} peak memory, any command`, peak, 600, { unit: 'MB' }),
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
