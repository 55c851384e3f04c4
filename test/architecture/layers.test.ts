// The shape of src/ (docs/architecture.md), checked on every run: arrows point into the core, no
// import cycles, and small files. Every import counts, type-only and dynamic ones included.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = join(ROOT, 'src');
const MAX_LINES = 300;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** `src/core/x.ts` → the specifiers it imports: relative ones resolved to src paths, packages as named. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2]);
  return specs.map((s) => (s.startsWith('.') ? relative(ROOT, resolve(dirname(file), s)).replace(/\.js$/, '.ts') : s));
}

const files = sourceFiles(SRC).map((f) => relative(ROOT, f)).sort();
const graph = new Map(files.map((f) => [f, importsOf(join(ROOT, f))]));

/** Every import cycle among our own files, each as a path that returns to its start. */
function cycles(): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const next of graph.get(f) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return found;
}

const importers = (from: string, to: (spec: string) => boolean) =>
  files.filter((f) => f.startsWith(from)).flatMap((f) => graph.get(f)!.filter(to).map((spec) => `${f} → ${spec}`));

describe('the layers of src/', () => {
  it('has no import cycles', () => {
    expect(cycles().map((c) => c.join(' → '))).toEqual([]);
  });

  it('keeps the core free of the CLI, the store and their libraries', () => {
    const outside = ['commander', 'chalk', '@inquirer/prompts', 'ora', 'cli-table3', 'better-sqlite3', 'pg', 'pg-copy-streams', 'nodemailer'];
    expect(importers('src/core/', (s) => s.startsWith('src/store/') || s.startsWith('src/cli/') || outside.includes(s))).toEqual([]);
  });

  it('keeps the store free of the CLI', () => {
    expect(importers('src/store/', (s) => s.startsWith('src/cli/'))).toEqual([]);
  });

  it('lets the CLI reach the store only where a workspace is opened', () => {
    const edges = importers('src/cli/', (s) => s.startsWith('src/store/'));
    expect(edges.filter((edge) => !edge.startsWith('src/cli/context.ts → '))).toEqual([]);
  });

  it('keeps the server an adapter: no CLI, no store (it is handed one), reached only by `serve`, and never statically', () => {
    // src/server/scim serves the core over HTTP; `rollcall serve` (src/cli/commands/serve.ts) opens
    // the workspace as every command does (context.ts) and hands the server its store.
    expect(importers('src/server/', (s) => s.startsWith('src/cli/') || s.startsWith('src/store/') || ['commander', 'better-sqlite3', 'pg'].includes(s))).toEqual([]);
    expect(importers('src/core/', (s) => s.startsWith('src/server/'))).toEqual([]);
    expect(importers('src/cli/', (s) => s.startsWith('src/server/')).filter((e) => !e.startsWith('src/cli/commands/serve.ts → '))).toEqual([]);
    // Loaded lazily: other commands' start-up does not pay for the server.
    const serve = readFileSync(join(ROOT, 'src/cli/commands/serve.ts'), 'utf8');
    expect(serve).not.toMatch(/^\s*import\s[^;]*from\s+'\.\.\/\.\.\/server\//m);
  });

  it('keeps nodemailer in the mail adapter (src/mail), behind the core\'s mail port', () => {
    expect(importers('src/', (s) => s === 'nodemailer').filter((edge) => !edge.startsWith('src/mail/'))).toEqual([]);
    expect(importers('src/mail/', (s) => s.startsWith('src/cli/') || s.startsWith('src/store/'))).toEqual([]);
  });

  it('has no command importing another command', () => {
    // A noun is a file (commands/member.ts) or a folder (commands/member/…); its files may share code.
    const noun = (f: string) => f.replace(/^src\/cli\/commands\//, '').split('/')[0].replace(/\.ts$/, '');
    expect(importers('src/cli/commands/', (s) => s.startsWith('src/cli/commands/'))
      .filter((edge) => { const [from, to] = edge.split(' → '); return noun(from) !== noun(to); }))
      .toEqual([]);
  });

  it(`has no source file over ${MAX_LINES} lines`, () => {
    const long = files.map((f) => [f, readFileSync(join(ROOT, f), 'utf8').split('\n').length] as const).filter(([, n]) => n > MAX_LINES);
    expect(long.map(([f, n]) => `${f}: ${n} lines`)).toEqual([]);
  });
});
