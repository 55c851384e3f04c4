// Issue 23.12 and 23.11: the example GitHub Actions workflow (docs/ci/roster.yml, shown in the
// README) is valid YAML whose every `rollcall …` line is a command and options the CLI has, with the
// offline checks needing no secret; and package.json describes a package npm can publish and
// install (the tarball itself is installed and run by scripts/pack-check.mjs, in .ci/run).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, World, expectOk } from '../helpers/world.js';

const WORKFLOW = readFileSync(join(ROOT, 'docs/ci/roster.yml'), 'utf8');

interface Step { name?: string; if?: string; run?: string; uses?: string }
interface Job { if?: string; steps: Step[]; env?: Record<string, string> }

/** The words of a shell command line up to its first redirection, pipe or list operator. */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) {
    if (m[3] !== undefined && /^(>>?|\||&&|\|\||;|2>.*)$/.test(m[3])) break;
    out.push(m[1] ?? m[2] ?? m[3]);
  }
  return out;
}

/** Every `rollcall …` command line of a step's script (continuation lines joined). */
function rollcallLines(run: string): string[] {
  const lines = run.replace(/\\\n\s*/g, ' ').split('\n').map((l) => l.trim());
  for (const l of lines) if (/\brollcall\s+[a-z-]/.test(l) && !l.startsWith('rollcall ')) throw new Error(`a rollcall command not at the start of its line: ${l}`);
  return lines.filter((l) => l.startsWith('rollcall '));
}

describe('the example workflow docs/ci/roster.yml', () => {
  const doc = parse(WORKFLOW) as { on: Record<string, unknown>; jobs: Record<string, Job> };
  const steps = Object.entries(doc.jobs).flatMap(([job, j]) => j.steps.map((s) => ({ job, ...s })));

  it('checks on pull requests and applies on a push to main, pruning with the removal limit and reading the exit code', () => {
    expect(Object.keys(doc.on).sort()).toEqual(['pull_request', 'push']);
    expect(doc.jobs.check.if).toBe("github.event_name == 'pull_request'");
    expect(doc.jobs.apply.if).toBe("github.event_name == 'push'");
    const apply = steps.filter((s) => s.job === 'apply').flatMap((s) => rollcallLines(s.run ?? '')).find((l) => l.startsWith('rollcall apply'));
    for (const flag of ['--prune', '--yes', '--detailed-exitcode', '--max-removals']) expect(apply).toContain(flag);
    expect(doc.jobs.apply.env).toMatchObject({ ROLLCALL_TOKEN: '${{ secrets.ROLLCALL_TOKEN }}', ROLLCALL_WORKSPACE: '${{ secrets.ROLLCALL_WORKSPACE }}' });
  });

  it('validates and diffs a pull request with no secrets (a fork), and plans against the workspace only when they are there', () => {
    for (const s of steps.filter((x) => x.job === 'check' && x.run)) {
      const lines = rollcallLines(s.run!);
      if (lines.some((l) => l.startsWith('rollcall roster '))) expect(s.if, s.name).toBeUndefined();
      if (lines.some((l) => !l.startsWith('rollcall roster '))) expect(s.if, s.name).toBe("env.ROLLCALL_TOKEN != ''");
    }
    expect(steps.filter((s) => s.job === 'check').flatMap((s) => rollcallLines(s.run ?? '')).map((l) => words(l).slice(0, 3).join(' ')))
      .toEqual(['rollcall roster validate', 'rollcall roster diff', 'rollcall apply $ROSTER']);
  });

  it('calls only commands and options rollcall has: each line parses with --help, which lists each of its flags', async () => {
    const w = new World();
    const lines = steps.flatMap((s) => rollcallLines(s.run ?? ''));
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) {
      const args = words(line).slice(1);
      const help = expectOk(await w.run([...args, '--help'], { token: null }));
      const command = args.slice(0, args.findIndex((a) => !/^[a-z]+$/.test(a))).join(' ');
      expect(help.out, line).toMatch(new RegExp(`^Usage: rollcall ${command}`));
      for (const flag of args.filter((a) => a.startsWith('--'))) expect(help.out, `${line}: ${flag}`).toContain(flag);
    }
  });

  it('is the workflow the README shows', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('```yaml\n' + WORKFLOW + '```');
  });
});

describe('the package', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

  it('can be published and installed: not private, the bin, Node 20, only bin/ and dist/ packed, built by prepare', () => {
    expect(pkg.private).toBeUndefined();
    expect(pkg.bin).toEqual({ rollcall: 'bin/rollcall' });
    expect(pkg.engines).toEqual({ node: '>=20' });
    expect(pkg.files).toEqual(['bin/', 'dist/']);
    expect(pkg.scripts.prepare).toBe('npm run build');
    // what the bundle leaves to require at run time must be a runtime dependency, not a dev one
    const external = /const external = \[([^\]]*)\]/.exec(readFileSync(join(ROOT, 'scripts/build.mjs'), 'utf8'))![1].match(/'[^']+'/g)!.map((s) => s.slice(1, -1));
    expect(external.filter((name) => !pkg.dependencies[name])).toEqual([]);
  });
});
