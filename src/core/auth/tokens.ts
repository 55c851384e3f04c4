// API tokens (SPEC §2): for scripts and CI, acting as the member who made them; stored hashed.
import { actorOf, holds } from '../access/grants.js';
import { addMs, parseDuration } from '../clock.js';
import { newSecret, sha256 } from '../credentials.js';
import { fail } from '../errors.js';
import { newId } from '../ids.js';
import { checkName } from '../text.js';
import type { TokenRecord } from '../model.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { shellQuote } from '../shell.js';

export interface TokenView {
  id: string;
  name: string;
  member: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export const DEFAULT_TOKEN_LIFETIME = '90d';

export async function createToken(s: UnitOfWork, name: string, expiresIn: string = DEFAULT_TOKEN_LIFETIME): Promise<{ id: string; name: string; token: string; expiresAt: string | null }> {
  const actor = actorOf(s);
  const tokenName = checkName(name, 'token name');
  let expiresAt: string | null = null;
  if (expiresIn !== 'never') {
    const ms = parseDuration(expiresIn, 'expiresIn');
    if (!ms) fail('INVALID_INPUT', `a token's lifetime is a duration like 90d or 12h, or "never": got "${expiresIn}"`, undefined, 'expiresIn');
    expiresAt = addMs(s.nowIso, ms, 'expiresIn');
  }
  const mine = (await s.tx.listTokens()).filter((t) => t.memberId === actor.id && !t.revokedAt);
  if (mine.some((t) => t.name === tokenName)) fail('ALREADY_EXISTS', `you already have a token named "${tokenName}"`, `revoke it first: rollcall token revoke ${shellQuote(tokenName)}`);
  const token = newSecret('rc_', 24);
  const record: TokenRecord = { id: newId('tok'), name: tokenName, memberId: actor.id, hash: sha256(token), createdAt: s.nowIso, expiresAt, revokedAt: null };
  await s.tx.insertToken(record);
  s.record({ action: 'token.create', target: actor.email, targetId: record.id, after: { id: record.id, name: tokenName, expiresAt } });
  return { id: record.id, name: tokenName, token, expiresAt };
}

/** Your own tokens; an admin (members.manage everywhere) sees everyone's. */
async function visibleTokens(s: UnitOfWork): Promise<TokenRecord[]> {
  const actor = actorOf(s);
  const all = await s.tx.listTokens();
  const seeAll = await holds(s, actor, 'members.manage');
  return seeAll ? all : all.filter((t) => t.memberId === actor.id);
}

export async function listTokens(s: UnitOfWork): Promise<TokenView[]> {
  const tokens = await visibleTokens(s);
  const members = new Map<string, string>();
  for (const t of tokens) if (!members.has(t.memberId)) members.set(t.memberId, (await s.tx.getMember(t.memberId))?.email ?? t.memberId);
  return tokens.map((t) => ({ id: t.id, name: t.name, member: members.get(t.memberId)!, createdAt: t.createdAt, expiresAt: t.expiresAt, revokedAt: t.revokedAt }));
}

export async function revokeToken(s: UnitOfWork, idOrName: string): Promise<TokenView> {
  const actor = actorOf(s);
  const tokens = (await visibleTokens(s)).filter((t) => !t.revokedAt);
  const match = tokens.find((t) => t.id === idOrName) ?? tokens.find((t) => t.name === idOrName && t.memberId === actor.id) ?? tokens.find((t) => t.name === idOrName);
  if (!match) fail('NOT_FOUND', `no active token "${idOrName}"`, 'list them with: rollcall token list');
  await s.tx.revokeTokens([match.id], s.nowIso);
  s.record({ action: 'token.revoke', target: actor.email, targetId: match.id, before: { id: match.id, name: match.name } });
  const owner = (await s.tx.getMember(match.memberId))?.email ?? match.memberId;
  return { id: match.id, name: match.name, member: owner, createdAt: match.createdAt, expiresAt: match.expiresAt, revokedAt: s.nowIso };
}
