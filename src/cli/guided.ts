// What a person at a terminal chooses from when a command asks instead of failing (SPEC §10):
// the workspace's roles, its org tree, a group's admins. Read as the acting member, so a prompt
// never offers what that member may not see.
import { transferCandidates } from '../core/groups.js';
import type { Member } from '../core/model.js';
import { listOrgs } from '../core/orgs/chart.js';
import { scopeArity } from '../core/access/permissions.js';
import { listRoles } from '../core/access/role-commands.js';
import type { Workspace } from '../core/workspace.js';
import type { Cli } from './context.js';

export interface Choice {
  value: string;
  name?: string;
  description?: string;
}

export interface Placement {
  role?: string;
  scope?: string[];
  org?: string;
}

/**
 * A role from the list, a scope when that role needs one, and a primary org from the tree: asked
 * only for what the flags left out, and only at a terminal (else the defaults stand).
 */
export async function choosePlacement(cli: Cli, ws: Workspace, actor: Member, given: Placement): Promise<Placement> {
  if (!cli.interactive) return given;
  const { roles, orgs } = await ws.read(actor, async (s) => ({ roles: await listRoles(s), orgs: await listOrgs(s) }));
  const role = await cli.choose(given.role, '--role', 'role', roles.map((r) => ({ value: r.name, description: r.permissions.join(', ') })), 'viewer');
  let scope = given.scope;
  if (!scope?.length && scopeArity(role).min > 0 && orgs.length) {
    scope = [await cli.choose(undefined, '--scope', `org the ${role} role applies to`, orgs.map((o) => ({ value: o.path })))];
  }
  let org = given.org;
  if (org === undefined && orgs.length) {
    org = (await cli.choose(undefined, '--org', 'primary org', [{ value: '', name: '(none)' }, ...orgs.map((o) => ({ value: o.path }))], '')) || undefined;
  }
  return { role, scope, org };
}

/** The group's active admins other than its owner: whom the group can be handed to. */
export async function newOwnerChoices(ws: Workspace, actor: Member, group: string): Promise<Choice[]> {
  return (await ws.read(actor, (s) => transferCandidates(s, group))).map((email) => ({ value: email }));
}
