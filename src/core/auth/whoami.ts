// Who is acting, and through what (SPEC §2; issue 23.8): the member, its role and scope, and whether
// an API token (ROLLCALL_TOKEN, which wins) or a stored session proves it, with the token's name.
import { sha256 } from '../credentials.js';
import { OrgTree } from '../orgs/tree.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { ActorProof } from './actor.js';

export interface WhoAmI {
  email: string;
  role: string;
  /** Org paths of a scoped role. */
  scope: string[];
  via: 'token' | 'session';
  /** The API token in use (never its secret), or null for a session. */
  token: { id: string; name: string } | null;
  /** When the token or the session stops working; null for a token that never expires. */
  expiresAt: string | null;
}

/** The acting member (checked by the unit of work) and the credentials it acts through. */
export async function whoAmI(s: UnitOfWork, proof: ActorProof): Promise<WhoAmI> {
  const actor = s.actor!;
  const tree = new OrgTree(await s.orgs());
  const who = { email: actor.email, role: actor.role, scope: actor.scope.map((id) => tree.pathOf(id) ?? id) };
  if (proof.token) {
    const t = await s.tx.getTokenByHash(sha256(proof.token.trim()));
    return { ...who, via: 'token', token: t ? { id: t.id, name: t.name } : null, expiresAt: t?.expiresAt ?? null };
  }
  const session = proof.session ? await s.tx.getSession(sha256(proof.session)) : null;
  return { ...who, via: 'session', token: null, expiresAt: session?.expiresAt ?? null };
}
