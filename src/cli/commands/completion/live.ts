// Values completed from the workspace (issue 23.6): read-only, as the member signed in (the token
// or the stored session), through the same core reads as the commands, so nobody is offered what
// they may not list. Anything that fails (no session, no workspace, no permission, too slow) offers
// nothing and prints nothing.
import { Readable } from 'node:stream';
import { auditList } from '../../../core/audit/log.js';
import { listTokens } from '../../../core/auth/tokens.js';
import { listRoles } from '../../../core/access/role-commands.js';
import { listGroups } from '../../../core/groups.js';
import { listMembers } from '../../../core/members/list.js';
import { listOrgs } from '../../../core/orgs/chart.js';
import type { UnitOfWork } from '../../../core/unit-of-work.js';
import { Cli, type GlobalOptions } from '../../context.js';
import type { IO } from '../../io.js';

export type Candidate = readonly [value: string, description?: string];
export type LiveKind = 'email' | 'email:deleted' | 'email:suspended' | 'org' | 'group' | 'role' | 'batch' | 'token';

/** How long completion waits for the workspace before it offers nothing (a server out of reach). */
const TIMEOUT_MS = 3000;

const SOURCES: Record<LiveKind, (s: UnitOfWork) => Promise<Candidate[]>> = {
  email: async (s) => (await listMembers(s, {})).map((m) => [m.email, m.name]),
  'email:deleted': async (s) => (await listMembers(s, { status: 'deleted' })).map((m) => [m.email, `${m.name} (removed)`]),
  'email:suspended': async (s) => (await listMembers(s, { status: 'suspended' })).map((m) => [m.email, `${m.name} (suspended)`]),
  org: async (s) => (await listOrgs(s)).map((o) => [o.path]),
  group: async (s) => (await listGroups(s)).map((g) => [g.name, g.description ?? `owner ${g.owner}`]),
  role: async (s) => (await listRoles(s)).map((r) => [r.name, r.builtin ? 'built-in role' : 'custom role']),
  batch: async (s) => {
    const seen = new Map<string, string>();
    for (const e of await auditList(s, { limit: 500 })) if (!seen.has(e.batch)) seen.set(e.batch, `${e.at.slice(0, 16).replace('T', ' ')} ${e.action}`);
    return [...seen];
  },
  token: async (s) => (await listTokens(s)).filter((t) => !t.revokedAt).map((t) => [t.name, `${t.member}, expires ${t.expiresAt ?? 'never'}`]),
};

export async function liveValues(io: IO, globals: GlobalOptions, kind: LiveKind): Promise<Candidate[]> {
  const silent = { write: () => true, isTTY: false };
  const quiet: IO = { stdout: silent, stderr: silent, stdin: Readable.from([]), env: { ...io.env, CI: 'true' }, cwd: io.cwd };
  const cli = new Cli(quiet, { workspace: globals.workspace, context: globals.context, json: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    const work = (async () => {
      const { ws, actor } = await cli.signedIn();
      return ws.read(actor, SOURCES[kind]);
    })();
    work.catch(() => {}); // settled after the timeout: nobody is waiting
    const late = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), TIMEOUT_MS); });
    return (await Promise.race([work, late])) ?? [];
  } catch {
    return [];
  } finally {
    clearTimeout(timer);
    await cli.close().catch(() => {});
  }
}
