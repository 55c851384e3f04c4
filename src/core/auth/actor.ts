// Who is acting (SPEC §2, §14): the member behind an API token or a session, checked when a command
// starts and again inside every transaction it runs, so that a member suspended, removed, demoted
// or signed out while its command waited for the lock acts with what it holds now, or not at all.
import { sha256 } from '../credentials.js';
import { RollcallError, fail } from '../errors.js';
import { isActiveAdmin, statusOf } from '../members/views.js';
import { shellQuote } from '../shell.js';
import type { Member } from '../model.js';
import type { Tx } from '../store.js';

/** How a command proves who it acts for: an API token (ROLLCALL_TOKEN), else a stored session. */
export interface ActorProof {
  token?: string | null;
  session?: string | null;
}

/** A member may act (or sign in) only in these states. */
export function refuseByStatus(m: Member, now: Date): RollcallError | null {
  const status = statusOf(m, now);
  if (status === 'suspended') return new RollcallError('ACCOUNT_SUSPENDED', `account is not enabled: ${m.email} is suspended`, 'ask an admin to run: rollcall member unsuspend ' + shellQuote(m.email));
  if (status === 'pending') return new RollcallError('ACCOUNT_PENDING', `${m.email} starts on ${m.startDate} and cannot sign in before then`);
  return null;
}

/**
 * refuseByStatus, with a hint that leads somewhere when no admin is left to help: a suspended admin
 * with no other active admin can only be let back in by `recover`, run with direct access.
 */
export async function statusRefusal(tx: Tx, m: Member, now: Date): Promise<RollcallError | null> {
  const refusal = refuseByStatus(m, now);
  if (refusal?.code !== 'ACCOUNT_SUSPENDED' || m.role !== 'admin') return refusal;
  if ((await tx.listAdmins()).some((a) => a.id !== m.id && isActiveAdmin(a, now))) return refusal;
  return new RollcallError('ACCOUNT_SUSPENDED', refusal.message,
    `${m.email} is the last admin: someone with direct access to the workspace (its file's owner, or a database role owning its tables) can run: rollcall recover ${shellQuote(m.email)}`);
}

/** The member as stored now, if it may still act: NOT_AUTHENTICATED when removed, the status refusal otherwise. */
async function stillActive(tx: Tx, member: Member | null, now: Date): Promise<Member> {
  if (!member || member.deletedAt) fail('NOT_AUTHENTICATED', 'the member behind these credentials has been removed', 'rollcall login EMAIL');
  const refusal = await statusRefusal(tx, member, now);
  if (refusal) throw refusal;
  return member;
}

/** The acting member behind a token or a session, as stored now; every refusal as SPEC §2 says. */
export async function actorBehind(tx: Tx, proof: ActorProof, now: Date): Promise<Member> {
  if (proof.token) {
    const t = await tx.getTokenByHash(sha256(proof.token.trim()));
    if (!t || t.revokedAt) fail('NOT_AUTHENTICATED', 'the API token in ROLLCALL_TOKEN is not valid: unknown or revoked', 'create one with: rollcall token create --name NAME');
    if (t.expiresAt && Date.parse(t.expiresAt) <= now.getTime()) fail('TOKEN_EXPIRED', `the API token "${t.name}" expired at ${t.expiresAt}`, 'create a new one with: rollcall token create --name NAME');
    return stillActive(tx, await tx.getMember(t.memberId), now);
  }
  if (proof.session) {
    const session = await tx.getSession(sha256(proof.session));
    if (!session || Date.parse(session.expiresAt) <= now.getTime()) fail('NOT_AUTHENTICATED', 'the session has ended', 'sign in again: rollcall login EMAIL');
    return stillActive(tx, await tx.getMember(session.memberId), now);
  }
  fail('NOT_AUTHENTICATED', 'not signed in to this workspace', 'rollcall login EMAIL, or set ROLLCALL_TOKEN to an API token');
}

/**
 * The acting member again, inside a transaction: through its proof when the command has one, else
 * by id (a caller in the same process that already holds the member). Role and scope are as stored now.
 */
export async function recheckActor(tx: Tx, actor: Member, proof: ActorProof | null, now: Date): Promise<Member> {
  const current = proof ? await actorBehind(tx, proof, now) : await stillActive(tx, await tx.getMember(actor.id), now);
  if (current.id !== actor.id) fail('NOT_AUTHENTICATED', 'the credentials now belong to another member', 'sign in again: rollcall login EMAIL');
  return current;
}
