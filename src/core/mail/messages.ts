// The mail rollcall sends (SPEC §14): a sign-in code, an invitation, a test. Plain text, in the
// workspace's name; sent through the mail port, or MAIL_UNAVAILABLE when this run has none.
import { fail } from '../errors.js';
import { readSettings } from '../settings.js';
import { shellQuote } from '../shell.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { MailMessage, MailReceipt, MailServer } from './port.js';

/** Sends one message through this run's mailer. */
export async function deliver(s: UnitOfWork, server: MailServer, message: MailMessage): Promise<MailReceipt> {
  if (!s.mail) fail('MAIL_UNAVAILABLE', 'this rollcall has no way to send mail');
  return s.mail.mailer.send(server, message);
}

async function workspaceName(s: UnitOfWork): Promise<string> {
  return (await readSettings(s)).name || 'rollcall';
}

export async function signInCodeMessage(s: UnitOfWork, to: string, code: string, minutes: number, link: string | null): Promise<MailMessage> {
  const name = await workspaceName(s);
  return {
    to,
    subject: `Your sign-in code for ${name}`,
    text: [
      `Your code to sign in to ${name} as ${to}:`, '', `    ${code}`, '',
      `It works once, within ${minutes} minutes. At the prompt, type it; or run:`, '',
      `    rollcall login ${shellQuote(to)} --code ${code}`, '',
      ...(link ? ['Or open this link:', '', `    ${link}`, ''] : []),
      'If you did not just sign in, someone knows your password:', 'change it (rollcall passwd) and tell an admin.', '',
    ].join('\n'),
  };
}

export async function invitationMessage(s: UnitOfWork, to: string, token: string, url: string | null, expiresAt: string): Promise<MailMessage> {
  const name = await workspaceName(s);
  const by = s.actor ? ` by ${s.actor.name} (${s.actor.email})` : '';
  return {
    to,
    subject: `You are invited to ${name}`,
    text: [
      `You have been invited to ${name}${by}.`, '',
      ...(url ? ['To accept, open this link and choose a password:', '', `    ${url}`, '']
        : ['To accept, run this and choose a password:', '', `    rollcall invite accept ${token}`, '']),
      `The invitation works once, until ${expiresAt}.`, '',
    ].join('\n'),
  };
}

export async function testMessage(s: UnitOfWork, to: string): Promise<MailMessage> {
  const name = await workspaceName(s);
  return {
    to,
    subject: `Test message from ${name}`,
    text: [
      `A test message from rollcall for ${name}`, `${s.actor ? `sent by ${s.actor.email} ` : ''}at ${s.nowIso}.`, '',
      'Mail from rollcall reaches you: sign-in codes and invitations will too.', '',
    ].join('\n'),
  };
}
