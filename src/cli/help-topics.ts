// Help topics (issue 23.7): `rollcall help environment` (every variable rollcall reads, and which
// workspace a command uses) and `rollcall help exit-codes` (generated from EXIT_CODES, the table
// every error's exit status comes from). Shared by the help command and completion.
import { resolve } from 'node:path';
import { EXIT_CODES } from '../core/errors.js';
import { chooseWorkspace } from './contexts.js';
import type { IO } from './io.js';
import { toJson } from './json.js';

export const HELP_TOPICS: Record<string, string> = {
  environment: 'environment variables, and which workspace a command uses',
  'exit-codes': 'exit statuses, and the error codes behind each',
};

/** Every variable rollcall reads (a test greps src/ for them), with what it does. */
export const ENVIRONMENT: ReadonlyArray<readonly [string, string]> = [
  ['ROLLCALL_WORKSPACE', 'the workspace: a SQLite file or a postgres:// URL (see the order below)'],
  ['ROLLCALL_CONTEXT', 'a context name (rollcall context list): its workspace, unless ROLLCALL_WORKSPACE is set'],
  ['ROLLCALL_TOKEN', 'an API token (rc_…): acts instead of the stored session; how CI acts'],
  ['ROLLCALL_CONFIG_DIR', 'the folder for sessions and contexts (default $XDG_CONFIG_HOME/rollcall, else $HOME/.config/rollcall)'],
  ['XDG_CONFIG_HOME', 'see ROLLCALL_CONFIG_DIR'],
  ['HOME', 'see ROLLCALL_CONFIG_DIR'],
  ['ROLLCALL_AUDIT_HEADS', 'a file: each new audit head is appended to it as SEQ:HASH after every write'],
  ['ROLLCALL_INVITE_BASE_URL', 'where invitation links point (member add --invite, invite issue [--send])'],
  ['ROLLCALL_SMTP_URL', "the mail server: smtp://USER@HOST:587 (STARTTLS when offered) or smtps://…; wins over the workspace's smtp-url"],
  ['ROLLCALL_SMTP_PASSWORD_FILE', 'a file whose first line is the mail server password, for an smtp URL that names a user and no password'],
  ['ROLLCALL_MAIL_FROM', "the sender of rollcall's mail; wins over the workspace's mail-from"],
  ['ROLLCALL_LOGIN_BASE_URL', 'two-step sign-in: the mailed code comes with a link to this page (?email=…&code=…)'],
  ['ROLLCALL_NOW', 'testing aid: an ISO-8601 instant that replaces the clock'],
  ['ROLLCALL_DEBUG', '1: the stack trace of an internal error (exit 70) on stderr'],
  ['NO_COLOR', 'no colour, even at a terminal (also --no-color)'],
  ['TERM', 'dumb: no colour'],
  ['CI', 'true: never prompt; a missing value or confirmation is a USAGE error'],
  ['PGPASSWORD', 'the PostgreSQL password (a URL or a context never needs to hold one)'],
  ['PGPASSFILE', 'the PostgreSQL password file (default ~/.pgpass)'],
  ['PGHOST, PGPORT, PGUSER, PGDATABASE', 'what a postgres:// URL leaves out'],
  ['PGSSLMODE', 'TLS to PostgreSQL, when the URL has no sslmode'],
  ['PGCONNECT_TIMEOUT', 'seconds to wait for PostgreSQL, when the URL has no connect_timeout (default 10)'],
];

/** Which workspace a command uses: the first that is set. */
export const WORKSPACE_ORDER = [
  '-w/--workspace PATH|URL, or --context NAME, on the command line (both at once: USAGE)',
  'ROLLCALL_WORKSPACE',
  'ROLLCALL_CONTEXT',
  'the current context (rollcall context use NAME)',
  './rollcall.db',
];

/** Where the mail settings come from (two-step sign-in, invite issue --send, mail test): the first that is set. */
export const MAIL_ORDER = [
  "the mail server: ROLLCALL_SMTP_URL, else the workspace's smtp-url (rollcall workspace set smtp-url URL); neither: no mail is sent",
  "the sender: ROLLCALL_MAIL_FROM, else the workspace's mail-from, else rollcall@ the workspace's first domain",
  'a password for a URL with a user and none: ROLLCALL_SMTP_PASSWORD_FILE',
];

const EXIT_MEANINGS: Record<number, string> = {
  0: 'success', 1: 'refused by a rule', 2: 'usage or invalid input', 3: 'not found',
  4: 'authentication or permission', 5: 'conflict', 6: 'workspace file or server, or the mail server', 70: 'a bug (ROLLCALL_DEBUG=1 shows the stack trace)',
};

const EXIT_NOTES = [
  'can: 0 yes, 1 no.',
  'audit verify: 1 when the chain is broken or a recorded head no longer holds.',
  "apply --detailed-exitcode: 10 when there are changes (terraform's -detailed-exitcode uses 2, which rollcall already gives to usage errors).",
];

export function exitTable(): Array<{ exit: number; meaning: string; codes: string[] }> {
  const rows = new Map<number, string[]>([[0, []]]);
  for (const [code, exit] of Object.entries(EXIT_CODES)) rows.set(exit, [...(rows.get(exit) ?? []), code]);
  return [...rows].sort(([a], [b]) => a - b).map(([exit, codes]) => ({ exit, meaning: EXIT_MEANINGS[exit] ?? '', codes }));
}

/** The environment topic as data: what `help environment --json` prints. */
export function environmentData(io: IO, opts: { workspace?: string; context?: string }) {
  let now: string;
  try {
    const choice = chooseWorkspace(io, opts);
    const where = /^postgres(ql)?:\/\//i.test(choice.workspace) ? choice.workspace : resolve(io.cwd, choice.workspace);
    now = `${where}${choice.context ? ` (context ${choice.context}, from ${choice.source})` : choice.source === 'default' ? ' (the default)' : ` (from ${choice.source})`}`;
  } catch (e) {
    now = `none: ${(e as Error).message}`;
  }
  // A password in a URL is never printed (SPEC §11), in JSON no more than in text.
  return { variables: ENVIRONMENT.map(([name, meaning]) => ({ name, meaning })), workspaceOrder: WORKSPACE_ORDER, mailOrder: MAIL_ORDER, workspace: now.replace(/postgres(ql)?:\/\/([^:@/]*):[^@/]*@/i, 'postgres$1://$2@') };
}

export function environmentTopic(io: IO, opts: { workspace?: string; context?: string; json?: boolean }): string {
  const data = environmentData(io, opts);
  if (opts.json) return toJson(data, false) + '\n';
  const width = Math.max(...ENVIRONMENT.map(([n]) => n.length));
  return [
    'Environment variables rollcall reads:', '',
    ...ENVIRONMENT.map(([name, meaning]) => `  ${name.padEnd(width)}  ${meaning}`), '',
    'Which workspace a command uses (the first that is set):',
    ...WORKSPACE_ORDER.map((w, i) => `  ${i + 1}. ${w}`), '',
    'Mail settings (two-step sign-in, invite issue --send, mail test):',
    ...MAIL_ORDER.map((m) => `  - ${m}`), '',
    `Here and now: ${data.workspace}`, '',
  ].join('\n');
}

export function exitCodesTopic(json: boolean): string {
  if (json) return toJson(exitTable(), false) + '\n';
  return [
    'exit  meaning', ...exitTable().map((r) => `${String(r.exit).padStart(4)}  ${r.meaning}${r.codes.length ? `\n        ${r.codes.join(' ')}` : ''}`), '',
    ...EXIT_NOTES, '',
  ].join('\n');
}
