// Whole-workspace copies (SPEC §11): `workspace copy` into a new file or database, and `backup`.
// A whole copy holds every password hash, so only those who manage members and settings take one.
import { verifyChain } from './audit/chain.js';
import { requirePermission } from './access/grants.js';
import { fail } from './errors.js';
import type { Member } from './model.js';
import type { Store } from './store.js';
import type { Workspace } from './workspace.js';

/** PERMISSION_DENIED unless the actor holds members.manage and settings.edit everywhere. */
export async function mayTakeWholeCopy(ws: Workspace, actor: Member): Promise<void> {
  await ws.read(actor, async (s) => {
    await requirePermission(s, 'members.manage');
    await requirePermission(s, 'settings.edit');
  });
}

/** Where a copy goes: opened (created empty) only once the actor may copy; discarded if the copy fails. */
export interface CopyDestination {
  open(): Promise<Store>;
  /** Removes what open() created. Called only after open() succeeded, and after the store is closed. */
  discard(): Promise<void>;
}

/**
 * Copies the workspace into a new, empty destination and checks the copy's audit chain. Returns how
 * many audit entries the copy holds. A copy that fails leaves no half-made destination behind.
 */
export async function copyWorkspace(ws: Workspace, actor: Member, dest: CopyDestination): Promise<{ auditEntries: number }> {
  await mayTakeWholeCopy(ws, actor);
  const to = await dest.open();
  try {
    await ws.store.copyInto(to);
    const check = await to.read((tx) => verifyChain(tx));
    if (!check.ok) fail('WORKSPACE_CORRUPT', `the copy's audit chain does not verify: ${check.problem}`);
    await to.close();
    return { auditEntries: check.entries };
  } catch (e) {
    await to.close();
    await dest.discard();
    throw e;
  }
}

/** A consistent SQLite copy of the workspace at `path`, while others keep working. */
export async function backupWorkspace(ws: Workspace, actor: Member, path: string): Promise<void> {
  await mayTakeWholeCopy(ws, actor);
  await ws.store.backup(path);
}
