// The mail port (src/core/mail/port.ts) on SMTP, with nodemailer, the field's standard SMTP client:
// loaded only when a message is sent (start-up time: no other command pays for it). Every failure
// is MAIL_UNAVAILABLE (exit 6) saying where and why, with the server's own answer where it gave
// one, and never a password: the URL is redacted and the password struck from any text.
import { readFileSync } from 'node:fs';
import { RollcallError, fail } from '../core/errors.js';
import type { MailMessage, MailReceipt, MailServer, Mailer } from '../core/mail/port.js';
import { parseSmtpUrl, redactSmtpUrl, senderParts } from '../core/mail/settings.js';

/** How long to wait for a connection, the greeting, and each answer: a sign-in waits on it. */
const TIMEOUT_MS = 10_000;

/** What nodemailer's errors carry (nodemailer/lib/errors: SMTPError). */
interface SmtpFailure {
  message?: string;
  code?: string;
  response?: string;
  responseCode?: number;
  command?: string;
}

export interface SmtpOptions {
  /** ROLLCALL_SMTP_PASSWORD_FILE: the password for a URL that names a user and no password (its first line). */
  passwordFile?: string;
}

export class SmtpMailer implements Mailer {
  constructor(private readonly opts: SmtpOptions = {}) {}

  private passwordFromFile(): string | null {
    const file = this.opts.passwordFile?.trim();
    if (!file) return null;
    try {
      return readFileSync(file, 'utf8').split(/\r?\n/)[0];
    } catch (e) {
      fail('INVALID_INPUT', `ROLLCALL_SMTP_PASSWORD_FILE cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} (${file})`, 'name a file whose first line is the mail server password');
    }
  }

  async send(server: MailServer, message: MailMessage): Promise<MailReceipt> {
    const source = server.source === 'workspace' ? "the workspace's smtp-url" : server.source;
    const target = parseSmtpUrl(server.url, source);
    const password = target.password ?? (target.user ? this.passwordFromFile() : null);
    const from = senderParts(server.from, server.source === 'workspace' ? 'mail-from' : 'the sender');
    const { createTransport } = await import('nodemailer');
    const transport = createTransport({
      host: target.host, port: target.port ?? undefined, secure: target.secure,
      requireTLS: target.starttls === 'required', ignoreTLS: target.starttls === 'never',
      auth: target.user ? { user: target.user, pass: password ?? '' } : undefined,
      tls: { rejectUnauthorized: target.verifyTls },
      connectionTimeout: TIMEOUT_MS, greetingTimeout: TIMEOUT_MS, socketTimeout: TIMEOUT_MS,
      disableFileAccess: true, disableUrlAccess: true,
    });
    try {
      const info = await transport.sendMail({ from: { name: from.name ?? '', address: from.address }, to: message.to, subject: message.subject, text: message.text });
      return { response: String(info.response ?? ''), accepted: (info.accepted ?? []).map(String), rejected: (info.rejected ?? []).map(String) };
    } catch (e) {
      throw unavailable(e as SmtpFailure, `${redactSmtpUrl(server.url)} (${source})`, target.user, password);
    } finally {
      transport.close();
    }
  }
}

/** MAIL_UNAVAILABLE for a failure of nodemailer's, in words an admin can act on. */
function unavailable(e: SmtpFailure, where: string, user: string | null, password: string | null): RollcallError {
  const answer = (e.response ?? '').trim();
  const said = answer || (e.message ?? String(e));
  let why: string;
  let hint: string;
  if (e.code === 'EAUTH') {
    why = `the server refused ${user ? `the login of ${user}` : 'to send without a login'}: ${said}`;
    hint = user ? 'check the user and password (in the URL, or the file ROLLCALL_SMTP_PASSWORD_FILE names)' : 'give a user in the URL: smtp://USER@HOST:587, and its password';
  } else if (e.code === 'EENVELOPE' || (e.responseCode && e.command !== 'CONN')) {
    why = `the server refused the message: ${said}`;
    hint = 'check the address, and that the server takes mail from the sender (mail-from, ROLLCALL_MAIL_FROM)';
  } else if (e.code === 'ETLS' || /certificate|self[- ]signed|TLS/i.test(said)) {
    why = `TLS failed: ${said}`;
    hint = 'check the server\'s certificate; a test server with its own certificate takes ?tls-verify=false';
  } else {
    why = `the server cannot be reached: ${said}`;
    hint = 'check the host and port, and that the server is up; rollcall mail test ADDRESS tries it';
  }
  let text = `cannot send mail through ${where}: ${why}`;
  if (password) text = text.split(password).join('***'); // belt and braces: a server may echo what it was sent
  return new RollcallError('MAIL_UNAVAILABLE', text, hint);
}
