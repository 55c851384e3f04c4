// `rollcall mail test ADDRESS` (SPEC §14): one message through the mail settings in force, and the
// server's answer, so that an admin knows before two-step sign-in depends on it.
import { requirePermission } from '../access/grants.js';
import { parseEmail } from '../email.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { deliver, testMessage } from './messages.js';
import { redactSmtpUrl, requireMailServer } from './settings.js';

export interface TestMailResult {
  to: string;
  from: string;
  /** The server's URL without its password, and where it came from. */
  server: string;
  source: 'ROLLCALL_SMTP_URL' | 'workspace';
  response: string;
  accepted: string[];
  rejected: string[];
}

/** Needs settings.edit: it is the mail settings being tried. Changes nothing, so it runs in a read. */
export async function sendTestMail(s: UnitOfWork, address: string): Promise<TestMailResult> {
  await requirePermission(s, 'settings.edit');
  const to = parseEmail(address);
  const server = await requireMailServer(s, 'mail test');
  const receipt = await deliver(s, server, await testMessage(s, to));
  return { to, from: server.from, server: redactSmtpUrl(server.url), source: server.source, ...receipt };
}
