// Named contexts (issue 23.5): short names for workspaces, kept in contexts.yaml in the config
// folder (the one sessions use), and which workspace a command acts on:
//   -w/--workspace or --context (not both) > ROLLCALL_WORKSPACE > ROLLCALL_CONTEXT > the current context > ./rollcall.db
// The file is YAML of one shape (below). rollcall writes it itself (0600, a temp file and a rename)
// and reads what it wrote without a YAML library, which would cost every command's start-up; a
// file edited into another YAML style is read with the `yaml` package, loaded only then.
// A context never holds a password: a URL with one is refused (PGPASSWORD or ~/.pgpass hold it).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { RollcallError, fail } from '../core/errors.js';
import type { IO } from './io.js';
import { checkOutputPath } from './output-file.js';
import { checkConfigDir, configDir } from './sessions.js';

export const CONTEXTS_FILE = 'contexts.yaml';

export interface ContextsFile {
  current: string | null;
  contexts: Record<string, { workspace: string }>;
}

/** Where the workspace of this command comes from, for messages and `help environment`. */
export type WorkspaceSource = '--workspace' | '--context' | 'ROLLCALL_WORKSPACE' | 'ROLLCALL_CONTEXT' | 'current context' | 'default';

export interface WorkspaceChoice {
  workspace: string;
  /** The context that named it, if one did. */
  context: string | null;
  source: WorkspaceSource;
}

export function contextsPath(io: IO): string {
  return join(configDir(io), CONTEXTS_FILE);
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkContextName(name: string): string {
  if (!NAME.test(name)) fail('INVALID_INPUT', `"${name}" is not a context name`, 'use letters, digits, ".", "_" and "-", starting with a letter or digit (at most 64)');
  return name;
}

// ------------------------------------------------------------------------- the file

/** A YAML scalar as rollcall writes it (plain, or double-quoted as JSON is), or undefined if not one. */
function scalar(text: string): string | null | undefined {
  const t = text.trim();
  if (t === '' || t === '~' || t === 'null') return null;
  if (t.startsWith('"')) {
    try {
      const v: unknown = JSON.parse(t);
      return typeof v === 'string' ? v : undefined;
    } catch {
      return undefined;
    }
  }
  if (t.startsWith("'")) return /^'((?:[^']|'')*)'$/.test(t) ? t.slice(1, -1).replace(/''/g, "'") : undefined;
  return /^[^\s#'"{}[\],&*!|>%@`][^#]*$/.test(t) && !t.includes(': ') ? t : undefined;
}

/** The shape rollcall writes, read without a YAML library; undefined for anything else. */
function readOwnShape(text: string): ContextsFile | undefined {
  const out: ContextsFile = { current: null, contexts: {} };
  let inContexts = false;
  let name: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    if (!raw.trim() || raw.trim().startsWith('#')) continue;
    const m = /^( *)("(?:[^"\\]|\\.)*"|[^:\s]+):(?:\s+(.*))?$/.exec(raw);
    if (!m) return undefined;
    const key = scalar(m[2]);
    const rest = m[3]?.trim();
    if (typeof key !== 'string') return undefined;
    const depth = m[1].length;
    if (depth === 0) {
      name = null;
      inContexts = key === 'contexts';
      if (key === 'current') {
        const value = scalar(rest ?? '');
        if (value === undefined) return undefined;
        out.current = value;
      } else if (!inContexts || (rest && rest !== '{}')) {
        return undefined;
      }
    } else if (inContexts && depth === 2 && !rest) {
      name = key;
      out.contexts[name] = { workspace: '' };
    } else if (name && depth === 4 && key === 'workspace') {
      const value = scalar(rest ?? '');
      if (typeof value !== 'string') return undefined;
      out.contexts[name].workspace = value;
    } else {
      return undefined;
    }
  }
  return out;
}

function invalid(path: string, why: string): RollcallError {
  return new RollcallError('INVALID_INPUT', `cannot read the contexts in ${path}: ${why}`, `fix the file (its shape is in rollcall context --help), or remove it and add the contexts again`);
}

/** Any other YAML: parsed by the yaml package, then checked to have the shape. */
function readAnyYaml(text: string, path: string): ContextsFile {
  let data: unknown;
  try {
    data = (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text);
  } catch (e) {
    throw invalid(path, (e as Error).message.split('\n')[0]);
  }
  const doc = (data ?? {}) as { current?: unknown; contexts?: unknown };
  if (typeof doc !== 'object' || Array.isArray(doc)) throw invalid(path, 'it is not a mapping');
  const current = doc.current ?? null;
  if (current !== null && typeof current !== 'string') throw invalid(path, '"current" is not a name');
  const contexts: ContextsFile['contexts'] = {};
  for (const [name, entry] of Object.entries((doc.contexts ?? {}) as object)) {
    const workspace = (entry as { workspace?: unknown } | null)?.workspace;
    if (typeof workspace !== 'string') throw invalid(path, `context "${name}" has no workspace`);
    contexts[name] = { workspace };
  }
  return { current, contexts };
}

/** The contexts file; empty when there is none. */
export function readContexts(io: IO): ContextsFile {
  const path = contextsPath(io);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { current: null, contexts: {} };
    throw invalid(path, (e as Error).message);
  }
  const file = readOwnShape(text) ?? readAnyYaml(text, path);
  for (const [name, { workspace }] of Object.entries(file.contexts)) if (!workspace) throw invalid(path, `context "${name}" has no workspace`);
  return file;
}

function yamlKey(name: string): string {
  return /^[A-Za-z][A-Za-z0-9._-]*$/.test(name) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(name) ? name : JSON.stringify(name);
}

export function contextsYaml(file: ContextsFile): string {
  const lines = [
    '# rollcall contexts: names for workspaces. Written by `rollcall context add|use|rm`.',
    `current: ${file.current === null ? 'null' : yamlKey(file.current)}`,
    `contexts:${Object.keys(file.contexts).length ? '' : ' {}'}`,
  ];
  for (const name of Object.keys(file.contexts).sort()) lines.push(`  ${yamlKey(name)}:`, `    workspace: ${JSON.stringify(file.contexts[name].workspace)}`);
  return lines.join('\n') + '\n';
}

/** Writes the whole file: a new temp file (0600) in the config folder, renamed over the old one. */
export function writeContexts(io: IO, file: ContextsFile) {
  checkConfigDir(io);
  checkOutputPath(io, contextsPath(io), { force: true }).write(contextsYaml(file));
}

// ------------------------------------------------------------------------- choosing the workspace

/** The context by name, or NOT_FOUND naming the ones there are. */
export function findContext(io: IO, file: ContextsFile, name: string, source: WorkspaceSource): { workspace: string } {
  const found = Object.hasOwn(file.contexts, name) ? file.contexts[name] : undefined;
  if (found) return found;
  const names = Object.keys(file.contexts).sort();
  const from = source === 'current context' ? ` (the current context in ${contextsPath(io)})` : source === 'ROLLCALL_CONTEXT' ? ' (from ROLLCALL_CONTEXT)' : '';
  throw new RollcallError('NOT_FOUND', `no context named "${name}"${from}`,
    names.length ? `contexts: ${names.join(', ')} (rollcall context list)` : 'add one with rollcall context add NAME --workspace PATH|URL');
}

/** Which workspace this command acts on, and why. */
export function chooseWorkspace(io: IO, opts: { workspace?: string; context?: string }): WorkspaceChoice {
  if (opts.workspace && opts.context) fail('USAGE', '--workspace and --context both name the workspace: give one of them');
  if (opts.workspace) return { workspace: opts.workspace, context: null, source: '--workspace' };
  let file: ContextsFile | undefined;
  const pick = (name: string, source: WorkspaceSource): WorkspaceChoice => ({ workspace: findContext(io, (file ??= readContexts(io)), name, source).workspace, context: name, source });
  if (opts.context) return pick(opts.context, '--context');
  if (io.env.ROLLCALL_WORKSPACE) return { workspace: io.env.ROLLCALL_WORKSPACE, context: null, source: 'ROLLCALL_WORKSPACE' };
  if (io.env.ROLLCALL_CONTEXT) return pick(io.env.ROLLCALL_CONTEXT, 'ROLLCALL_CONTEXT');
  const current = (file ??= readContexts(io)).current;
  if (current) return pick(current, 'current context');
  return { workspace: 'rollcall.db', context: null, source: 'default' };
}
