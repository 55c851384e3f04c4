// Mail settings (SPEC §14): which SMTP server, and which sender. ROLLCALL_SMTP_URL and
// ROLLCALL_MAIL_FROM (given by the adapter as overrides) win over the workspace's own smtp-url and
// mail-from (`workspace set`, rows of meta); without a sender, rollcall@ the first domain. A URL's
// password is never shown: every message, the audit log and `workspace show` redact it.
import { isValidEmail, normalizeEmail } from '../email.js';
import { fail } from '../errors.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { MailServer } from './port.js';

/** An SMTP URL, read. */
export interface SmtpTarget {
  /** smtps://: TLS from the first byte; smtp://: STARTTLS as `starttls` says. */
  secure: boolean;
  host: string;
  port: number | null;
  user: string | null;
  password: string | null;
  /** offered: STARTTLS when the server offers it; required: never send without it; never: plain text. */
  starttls: 'offered' | 'required' | 'never';
  /** false: accept a certificate that does not verify (a test server's own). */
  verifyTls: boolean;
}

export const SMTP_URL_HINT = 'smtp://[USER[:PASSWORD]@]HOST[:PORT] (STARTTLS when the server offers it) or smtps://… (TLS from the start); options ?starttls=required|never and ?tls-verify=false';

/** The URL without its password: safe to print, log and audit. */
export function redactSmtpUrl(text: string): string {
  try {
    const u = new URL(text.trim());
    if (!u.password) return u.toString();
    u.password = '';
    return u.toString().replace(/:@/, '@');
  } catch {
    return text.trim().replace(/\/\/([^:/@]*):[^@]*@/, '//$1@');
  }
}

/** Reads an smtp:// or smtps:// URL; INVALID_INPUT naming `source` (never the password) otherwise. */
export function parseSmtpUrl(text: string, source: string): SmtpTarget {
  const bad = (why: string): never => fail('INVALID_INPUT', `${source} is not a usable mail server URL: ${why}`, SMTP_URL_HINT);
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    return bad('it is not a URL');
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') bad(`it starts with ${u.protocol}//, not smtp:// or smtps://`);
  if (!u.hostname) bad('it names no host');
  if ((u.pathname && u.pathname !== '/') || u.hash) bad('it has a path, which a mail server URL does not take');
  const target: SmtpTarget = {
    secure: u.protocol === 'smtps:', host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: u.port ? Number(u.port) : null,
    user: u.username ? decodeURIComponent(u.username) : null, password: u.password ? decodeURIComponent(u.password) : null,
    starttls: 'offered', verifyTls: true,
  };
  for (const [key, value] of u.searchParams) {
    if (key === 'starttls' && ['offered', 'required', 'never'].includes(value) && !target.secure) target.starttls = value as SmtpTarget['starttls'];
    else if (key === 'tls-verify' && (value === 'true' || value === 'false')) target.verifyTls = value === 'true';
    else bad(`?${key}=${value} is not an option it knows${key === 'starttls' && target.secure ? ' (smtps:// is TLS from the start: starttls is for smtp://)' : ''}`);
  }
  return target;
}

/** A sender, read: `rollcall@acme.example` or `Acme directory <rollcall@acme.example>`. */
export function senderParts(text: string, source: string): { name: string | null; address: string } {
  const t = text.trim();
  const m = /^(.*?)\s*<([^<>]*)>$/.exec(t);
  const address = normalizeEmail(m ? m[2] : t);
  const name = m ? m[1].trim().replace(/^"(.*)"$/, '$1') : '';
  // No line breaks or quotes in a name: they would start a header of their own.
  if (!isValidEmail(address) || /[\u0000-\u001f"<>]/.test(name)) {
    fail('INVALID_INPUT', `${source} is not a sender: "${t}"`, 'an address (rollcall@acme.example), or a name and an address (Acme directory <rollcall@acme.example>)');
  }
  return { name: name || null, address };
}

function senderText(text: string, source: string): string {
  const { name, address } = senderParts(text, source);
  return name ? `${name} <${address}>` : address;
}

/** The mail settings in force, or null when no server is configured: the environment's, else the workspace's. */
export async function mailServerOf(s: UnitOfWork): Promise<MailServer | null> {
  const over = s.mail?.overrides ?? {};
  const meta = await s.tx.getMeta();
  const fromEnv = over.smtpUrl?.trim();
  const url = fromEnv || meta.smtp_url || '';
  if (!url) return null;
  const source = fromEnv ? 'ROLLCALL_SMTP_URL' : 'workspace';
  parseSmtpUrl(url, source === 'workspace' ? "the workspace's smtp-url" : source);
  const fromOver = over.mailFrom?.trim();
  const from = fromOver ? senderText(fromOver, 'ROLLCALL_MAIL_FROM') : meta.mail_from || `rollcall@${(await s.tx.listDomains())[0]}`;
  return { url, from, source };
}

const SETUP_HINT = 'configure a mail server first: rollcall workspace set smtp-url smtp://USER@HOST:587 (or set ROLLCALL_SMTP_URL); rollcall mail test ADDRESS checks it';

/** The mail settings in force; INVALID_STATE saying `what` cannot work without them. */
export async function requireMailServer(s: UnitOfWork, what: string): Promise<MailServer> {
  const server = await mailServerOf(s);
  if (!server) fail('INVALID_STATE', `${what} needs a mail server, and none is configured`, SETUP_HINT);
  return server;
}

/** Two-step sign-in mails a code at every sign-in: it may be turned on only where mail can be sent. */
export async function mayTurnOnTwoStep(s: UnitOfWork): Promise<void> {
  await requireMailServer(s, 'two-step sign-in mails a code at every sign-in: it');
}

/**
 * `workspace set smtp-url|mail-from VALUE` ('' clears it): checked, stored, and the values before
 * and after as the audit log and `workspace show` may show them.
 */
export async function setMailSetting(s: UnitOfWork, key: 'smtp-url' | 'mail-from', value: string): Promise<{ before: string | null; after: string | null }> {
  const meta = await s.tx.getMeta();
  const v = value.trim();
  if (key === 'mail-from') {
    const after = v ? senderText(v, 'mail-from') : '';
    await s.tx.setMeta('mail_from', after);
    return { before: meta.mail_from || null, after: after || null };
  }
  if (v) parseSmtpUrl(v, 'smtp-url');
  else if (!s.mail?.overrides.smtpUrl?.trim()) {
    const users = (await s.tx.listMembers()).filter((m) => m.twoFactor && !m.deletedAt).length;
    if (users) fail('INVALID_STATE', `${users} member(s) sign in in two steps, with a code this mail server sends`, 'turn it off for them first (rollcall member update EMAIL --2fa off), or set another server instead');
  }
  await s.tx.setMeta('smtp_url', v);
  return { before: meta.smtp_url ? redactSmtpUrl(meta.smtp_url) : null, after: v ? redactSmtpUrl(v) : null };
}
