// Two-step sign-in (SPEC §14, seed 004 ⑦): after the password, a one-time code by mail. Six digits
// (crypto.randomInt), valid 10 minutes, usable once, one per member (a new sign-in supersedes the
// code before), stored as a salted scrypt hash: six digits are too few for a fast hash to hide. A
// wrong code counts toward the lockout like a wrong password; the count resets only when both steps pass.
import { randomInt } from 'node:crypto';
import { addMs } from '../clock.js';
import { hashPassword, verifyPassword } from '../credentials.js';
import { domainOf, normalizeEmail } from '../email.js';
import { RollcallError, fail } from '../errors.js';
import { deliver, signInCodeMessage } from '../mail/messages.js';
import { mailServerOf } from '../mail/settings.js';
import type { Member } from '../model.js';
import { shellQuote } from '../shell.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { Workspace } from '../workspace.js';
import { statusRefusal } from './actor.js';
import { countFailure, newSession, type Outcome, type SignedIn } from './attempts.js';

export const CODE_MINUTES = 10;
const CODE_DIGITS = 6;

export interface CodeSent {
  email: string;
  /** The address, masked (b•••@acme.example): an error message is no place to confirm it whole. */
  sentTo: string;
  expiresAt: string;
}

/** b•••@acme.example */
export function maskEmail(email: string): string {
  return `${email[0]}•••@${domainOf(email)}`;
}

/** The link ROLLCALL_LOGIN_BASE_URL points at, with the address and the code in its query. */
function codeLink(base: string, email: string, code: string): string {
  let u: URL;
  try {
    u = new URL(base);
  } catch {
    fail('INVALID_INPUT', `ROLLCALL_LOGIN_BASE_URL is not a URL: ${base}`, 'e.g. https://id.acme.example/login');
  }
  u.searchParams.set('email', email);
  u.searchParams.set('code', code);
  return u.toString();
}

/**
 * A new code for the member (superseding its last), mailed. MAIL_UNAVAILABLE when no server is
 * configured or it will not take the message: thrown, so that the caller's transaction rolls back.
 */
export async function sendCode(s: UnitOfWork, member: Member, loginBaseUrl?: string): Promise<CodeSent> {
  const server = await mailServerOf(s);
  if (!server) {
    fail('MAIL_UNAVAILABLE', `${member.email} signs in in two steps, and no mail server is configured to send the code`,
      'an admin sets one: rollcall workspace set smtp-url smtp://USER@HOST:587 (or ROLLCALL_SMTP_URL), or turns two-step sign-in off: rollcall member update EMAIL --2fa off');
  }
  const code = String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
  const link = loginBaseUrl ? codeLink(loginBaseUrl, member.email, code) : null;
  const expiresAt = addMs(s.nowIso, CODE_MINUTES * 60_000);
  await s.tx.saveLoginCode({ memberId: member.id, hash: await hashPassword(code), createdAt: s.nowIso, expiresAt });
  await deliver(s, server, await signInCodeMessage(s, member.email, code, CODE_MINUTES, link)).catch((e: unknown) => {
    if (!(e instanceof RollcallError) || e.code !== 'MAIL_UNAVAILABLE') throw e;
    throw new RollcallError('MAIL_UNAVAILABLE', `the sign-in code for ${member.email} could not be mailed, and the sign-in stops here (nothing counts against the account): ${e.message}`, e.hint);
  });
  s.record({ action: 'login.code-sent', target: member.email, targetId: member.id, actor: member.email, after: { expiresAt } });
  return { email: member.email, sentTo: maskEmail(member.email), expiresAt };
}

export function secondStepRequired(sent: CodeSent): RollcallError {
  return new RollcallError('SECOND_FACTOR_REQUIRED', `${sent.email} signs in in two steps: a code was sent to ${sent.sentTo}`,
    `enter it within ${CODE_MINUTES} minutes: rollcall login ${shellQuote(sent.email)} --code CODE`, undefined, { sentTo: sent.sentTo, expiresAt: sent.expiresAt });
}

/** The audit log keeps a code that could not be mailed (its transaction rolled back), with the server's answer. */
export async function recordUnsent(ws: Workspace, member: Member, error: RollcallError): Promise<void> {
  await ws.write(null, async (s) => {
    s.record({ action: 'login.code-not-sent', target: member.email, targetId: member.id, actor: member.email, reason: error.message });
  }).catch(() => undefined); // the mail failure is what to report
}

const WRONG_CODE = 'the sign-in code is wrong';

/** The code given was not the one mailed (and may be tried again, until the lockout). */
export function isWrongCode(e: unknown): boolean {
  return e instanceof RollcallError && e.code === 'INVALID_CREDENTIALS' && e.message === WRONG_CODE;
}

/** Six digits, as typed (spaces and dashes ignored) or in the link that carried them. */
export function parseCode(raw: string): string {
  let text = raw.trim();
  if (/^https?:\/\//i.test(text)) {
    try {
      text = new URL(text).searchParams.get('code') ?? '';
    } catch { /* read as typed */ }
  }
  const code = text.replace(/[\s-]/g, '');
  if (!new RegExp(`^\\d{${CODE_DIGITS}}$`).test(code)) fail('INVALID_INPUT', `a sign-in code is ${CODE_DIGITS} digits: got "${raw.trim()}"`, 'copy it from the newest mail');
  return code;
}

/**
 * The second step: the code mailed after the password. Whatever is wrong with it (unknown, used,
 * superseded, expired, or the password changed since) counts as a failed attempt; a suspended
 * member is refused whether or not the code is right, after the same work.
 */
export async function completeTwoStep(ws: Workspace, email: string, rawCode: string): Promise<SignedIn> {
  const code = parseCode(rawCode);
  const outcome = await ws.write(null, async (s): Promise<Outcome<SignedIn>> => {
    const m = await s.tx.getMemberByEmail(normalizeEmail(email));
    const creds = m && !m.deletedAt ? await s.tx.getCredentials(m.id) : null;
    const pending = m && creds ? await s.tx.getLoginCode(m.id) : null;
    const matches = await verifyPassword(code, pending?.hash ?? null); // the same work when there is none
    const again = `sign in again for a new code: rollcall login ${shellQuote(m?.email ?? normalizeEmail(email))}`;
    const none = new RollcallError('INVALID_CREDENTIALS', `no sign-in code is waiting for ${normalizeEmail(email)}: it was used, or never sent`, again);
    if (!m || !creds) return { error: none };
    if (m.suspendedAt) {
      await countFailure(s, m, creds);
      return { error: (await statusRefusal(s.tx, m, s.now))! };
    }
    let problem: RollcallError | null = null;
    if (!pending) problem = none;
    else if (!matches) problem = new RollcallError('INVALID_CREDENTIALS', WRONG_CODE, `use the code in the newest mail (a new sign-in replaces the code before); 3 wrong codes or passwords in a row lock the account. Or ${again}`);
    else if (Date.parse(pending.expiresAt) <= s.now.getTime()) problem = new RollcallError('INVALID_CREDENTIALS', `the sign-in code for ${m.email} expired at ${pending.expiresAt} (a code lasts ${CODE_MINUTES} minutes)`, again);
    // A password reset, or changed, since the code was sent: the code belonged to the old one.
    else if (!creds.passwordHash || creds.tempHash || (creds.passwordSetAt ?? '') > pending.createdAt) problem = new RollcallError('INVALID_CREDENTIALS', `the password of ${m.email} changed after the code was sent`, again);
    if (problem) {
      await countFailure(s, m, creds);
      s.record({ action: 'login.code-failed', target: m.email, targetId: m.id, actor: m.email, reason: problem.message });
      return { error: problem };
    }
    const refusal = await statusRefusal(s.tx, m, s.now);
    if (refusal) return { error: refusal };
    await s.tx.deleteLoginCode(m.id);
    if (creds.failedLogins) await s.tx.saveCredentials([{ ...creds, failedLogins: 0 }]);
    s.record({ action: 'login.two-step', target: m.email, targetId: m.id, actor: m.email });
    return { ok: await newSession(s, m) };
  });
  if ('error' in outcome) throw outcome.error;
  return outcome.ok;
}
