// Stored sessions (SPEC §2): one file under the config dir, mode 0600, keyed by workspace.
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { IO } from './io.js';

export interface StoredSession {
  email: string;
  token: string;
  expiresAt: string;
}

export function configDir(io: IO): string {
  if (io.env.ROLLCALL_CONFIG_DIR) return io.env.ROLLCALL_CONFIG_DIR;
  const base = io.env.XDG_CONFIG_HOME || join(io.env.HOME || homedir(), '.config');
  return join(base, 'rollcall');
}

function sessionsFile(io: IO): string {
  return join(configDir(io), 'sessions.json');
}

function readAll(io: IO): Record<string, StoredSession> {
  try {
    const data = JSON.parse(readFileSync(sessionsFile(io), 'utf8'));
    return data && typeof data === 'object' ? data : {};
  } catch {
    return {};
  }
}

function writeAll(io: IO, all: Record<string, StoredSession>) {
  const dir = configDir(io);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = sessionsFile(io);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(all, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file); // atomic: a concurrent rollcall never reads half a file
}

export function loadSession(io: IO, workspaceKey: string): StoredSession | null {
  return readAll(io)[workspaceKey] ?? null;
}

export function saveSession(io: IO, workspaceKey: string, session: StoredSession) {
  const all = readAll(io);
  all[workspaceKey] = session;
  writeAll(io, all);
}

export function dropSession(io: IO, workspaceKey: string) {
  const all = readAll(io);
  if (!(workspaceKey in all)) return;
  delete all[workspaceKey];
  writeAll(io, all);
}
