// bin/bundle.cjs loads the bundle with the V8 code cache the build wrote (start-up, issue 21). V8
// checks a cache against the source's length alone: a cache must never be used for a bundle it was
// not made from, or rollcall would run the old code. Each case runs a copy of the built bin/ and dist/.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/world.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A copy of the built CLI that can be changed; its packages resolve to the checkout's. */
function copyOfBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rc-cache-'));
  dirs.push(dir);
  cpSync(dirname(BIN), join(dir, 'bin'), { recursive: true });
  cpSync(join(dirname(BIN), '..', 'dist'), join(dir, 'dist'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

/** Whether the bundle compiled from the cache, and what `rollcall --version` prints. */
function load(dir: string) {
  const used = execFileSync(process.execPath, ['-e', "process.stdout.write(String(require('./bin/bundle.cjs').compileBundle().cacheUsed))"], { cwd: dir, encoding: 'utf8' });
  const version = execFileSync(process.execPath, [join(dir, 'bin', 'rollcall'), '--version'], { encoding: 'utf8' }).trim();
  return { used: used === 'true', version };
}

describe('the code cache', () => {
  it('is made by the build and used for the bundle it was made from', () => {
    const dir = copyOfBuild();
    expect(load(dir)).toEqual({ used: true, version: '0.1.0' });
  });

  it('is not used for a changed bundle of the same length: the new code runs', () => {
    const dir = copyOfBuild();
    const bundle = join(dir, 'dist', 'rollcall.cjs');
    const text = readFileSync(bundle, 'latin1');
    expect(text).toContain('"0.1.0"');
    writeFileSync(bundle, text.replace('"0.1.0"', '"9.8.7"'), 'latin1');
    expect(load(dir)).toEqual({ used: false, version: '9.8.7' });
  });

  it('missing or cut short, is not needed', () => {
    const dir = copyOfBuild();
    const cache = join(dir, 'dist', 'rollcall.cjs.cache');
    truncateSync(cache, 1000);
    expect(load(dir)).toEqual({ used: false, version: '0.1.0' });
    rmSync(cache);
    expect(load(dir)).toEqual({ used: false, version: '0.1.0' });
  });

  it('loads packages that are ES modules through import(), as the usual loader does', () => {
    const dir = copyOfBuild();
    // --jq imports jq-wasm and node:v8; an ES module import from a vm script needs the default loader.
    const env = { ...process.env, ROLLCALL_CONFIG_DIR: join(dir, 'config') };
    const out = execFileSync(process.execPath, [join(dir, 'bin', 'rollcall'), 'context', 'list', '--json', '--jq', 'type'], { encoding: 'utf8', env });
    expect(out.trim()).toBe('array');
  });
});
