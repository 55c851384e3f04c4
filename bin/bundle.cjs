// Loads dist/rollcall.cjs with the V8 code cache the build wrote beside it (rollcall.cjs.cache):
// compiling the 500 KB bundle was the largest part of rollcall's own start-up, and the cache
// skips it (measured ~8 ms of ~60 on Node 20 here). V8 checks a cache against the length of the
// source alone, so the cache begins with the SHA-256 of the bundle it was made from and is used
// only for that bundle (not a hand-patched dist/, not a half-finished build). Without a usable
// cache, the bundle compiles as usual. Code read from a cache cannot run import() (V8 drops what
// Node needs for it), so the bundle imports packages through importPackage below (scripts/build.mjs).
'use strict';
const { isAscii } = require('node:buffer');
const { createHash } = require('node:crypto');
const { chmodSync, readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const BUNDLE = join(__dirname, '../dist/rollcall.cjs');
const CACHE = `${BUNDLE}.cache`;
const DIGEST_BYTES = 32;

/** import() for the bundle: this file is loaded as Node loads any module, so its import() works. */
const importPackage = (specifier) => import(specifier);

/** The bundle compiled (from the cache when it is the bundle's) and run as a CommonJS module. */
function compileBundle() {
  const bytes = readFileSync(BUNDLE);
  const digest = createHash('sha256').update(bytes).digest();
  let cachedData;
  try {
    const cache = readFileSync(CACHE);
    if (cache.length > DIGEST_BYTES && digest.equals(cache.subarray(0, DIGEST_BYTES))) cachedData = cache.subarray(DIGEST_BYTES);
  } catch {} // no cache: compile it
  // esbuild writes ASCII (it escapes the rest), and a one-byte string decodes faster than UTF-8.
  const text = isAscii(bytes) ? bytes.latin1Slice(0, bytes.length) : bytes.toString('utf8');
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __rollcallImport) { ${text}\n});`, { filename: BUNDLE, cachedData });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE), importPackage);
  return { exports: module.exports, script, digest, cacheUsed: cachedData !== undefined && !script.cachedDataRejected };
}

/** rollcall's entry points (main). */
function loadBundle() {
  return compileBundle().exports;
}

/**
 * The build's last step: compiles the bundle, runs `rollcall --help` so the functions every command
 * uses are compiled too, and writes the cache. Run in a process of its own: V8 rejects a cache made
 * under other flags.
 */
async function writeCodeCache() {
  const { exports, script, digest } = compileBundle();
  const quiet = { write() {} };
  await exports.main(['--help'], { stdout: quiet, stderr: quiet, stdin: require('node:stream').Readable.from([]), env: {}, cwd: process.cwd() });
  writeFileSync(CACHE, Buffer.concat([digest, script.createCachedData()]));
  chmodSync(CACHE, 0o644); // main() set a umask for member data: this is code, readable like the bundle
}

module.exports = { loadBundle, compileBundle, writeCodeCache };
