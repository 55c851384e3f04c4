// What the CLI's start-up loads: the files a static import chain from an entry reaches, and what
// those files import lazily (import()), read from esbuild's metafile. For the start-up cost tests.
import { build } from 'esbuild';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export async function importGraph(entry = 'src/cli/main.ts'): Promise<{ reached: Set<string>; dynamic: Set<string> }> {
  const { metafile } = await build({
    entryPoints: [entry], absWorkingDir: ROOT, bundle: true, write: false, metafile: true,
    platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent',
  });
  const reached = new Set<string>();
  const dynamic = new Set<string>();
  const walk = (path: string) => {
    if (reached.has(path)) return;
    reached.add(path);
    for (const imp of metafile.inputs[path]?.imports ?? []) {
      if (imp.kind === 'dynamic-import') dynamic.add(imp.path);
      else walk(imp.path);
    }
  };
  walk(entry);
  return { reached, dynamic };
}
