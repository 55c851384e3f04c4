// Two-step sign-in in the core (SPEC §14), with a fake mailer handed in through the mail port: what
// is stored, what is mailed, and what a mail failure leaves. Against a real SMTP server, on both
// backends: test/e2e/two-step.test.ts.
import { describe, expect, it } from 'vitest';
import { login } from '../../src/core/auth/sign-in.js';
import { CODE_MINUTES, completeTwoStep } from '../../src/core/auth/two-step.js';
import { RollcallError } from '../../src/core/errors.js';
import type { MailMessage, MailReceipt, MailServer, Mailer } from '../../src/core/mail/port.js';
import { updateMember } from '../../src/core/members/update.js';
import { MEMBER_PASSWORD, actions, caught, newHarness, type Harness } from './harness.js';

const BOB = 'bob@acme.example';

/** Keeps what it is asked to send; or refuses, as a server that is down would. */
class FakeMailer implements Mailer {
  readonly sent: Array<{ server: MailServer; message: MailMessage }> = [];
  down = false;
  async send(server: MailServer, message: MailMessage): Promise<MailReceipt> {
    if (this.down) throw new RollcallError('MAIL_UNAVAILABLE', 'cannot send mail through smtp://mail.acme.example: the server cannot be reached');
    this.sent.push({ server, message });
    return { response: '250 2.0.0 queued', accepted: [message.to], rejected: [] };
  }
  lastCode(): string {
    return /--code (\d{6})/.exec(this.sent[this.sent.length - 1].message.text)![1];
  }
}

async function withTwoStep(): Promise<{ h: Harness; mailer: FakeMailer }> {
  const h = await newHarness();
  const mailer = new FakeMailer();
  h.mail = { mailer, overrides: { smtpUrl: 'smtp://mail.acme.example', mailFrom: 'Acme <rollcall@acme.example>' } };
  await h.addMember({ email: BOB, status: 'active' });
  await h.write(h.admin, (s) => updateMember(s, BOB, { twoFactor: true }));
  return { h, mailer };
}

describe('two-step sign-in (core)', () => {
  it('the password alone gives SECOND_FACTOR_REQUIRED and a mailed code, stored only as a salted hash; the code gives the session, once', async () => {
    const { h, mailer } = await withTwoStep();
    const err = await caught(login(h.ws(), BOB, MEMBER_PASSWORD));
    expect(err).toMatchObject({ code: 'SECOND_FACTOR_REQUIRED', details: { sentTo: 'b•••@acme.example' } });
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0].server).toEqual({ url: 'smtp://mail.acme.example', from: 'Acme <rollcall@acme.example>', source: 'ROLLCALL_SMTP_URL' });
    expect(mailer.sent[0].message).toMatchObject({ to: BOB, subject: 'Your sign-in code for Acme' });
    const code = mailer.lastCode();
    const stored = await h.store.read(async (tx) => tx.getLoginCode((await tx.getMemberByEmail(BOB))!.id));
    expect(stored!.hash).toMatch(/^scrypt\$/);
    expect(stored!.hash).not.toContain(code);
    expect(Date.parse(stored!.expiresAt) - Date.parse(stored!.createdAt)).toBe(CODE_MINUTES * 60_000);
    const signed = await completeTwoStep(h.ws(), BOB, code);
    expect(signed.member.email).toBe(BOB);
    expect((await caught(completeTwoStep(h.ws(), BOB, code))).code).toBe('INVALID_CREDENTIALS');
    expect(actions(await h.audit()).filter((a) => a.startsWith('login.'))).toEqual(['login.code-sent', 'login.two-step', 'login.code-failed']);
  });

  it('mail that cannot leave rolls the sign-in back: MAIL_UNAVAILABLE, the code before still stands, and no failure is counted', async () => {
    const { h, mailer } = await withTwoStep();
    await caught(login(h.ws(), BOB, MEMBER_PASSWORD));
    const code = mailer.lastCode();
    mailer.down = true;
    for (let i = 0; i < 3; i++) expect((await caught(login(h.ws(), BOB, MEMBER_PASSWORD))).code).toBe('MAIL_UNAVAILABLE');
    expect((await h.credentials(BOB))!.failedLogins).toBe(0);
    expect((await completeTwoStep(h.ws(), BOB, code)).member.email).toBe(BOB);
    expect(actions(await h.audit()).filter((a) => a === 'login.code-not-sent')).toHaveLength(3);
  });

  it('turning it on needs a mail server: INVALID_STATE, nothing changed', async () => {
    const h = await newHarness();
    await h.addMember({ email: BOB, status: 'invited' });
    const err = await caught(h.write(h.admin, (s) => updateMember(s, BOB, { twoFactor: true })));
    expect(err.code).toBe('INVALID_STATE');
    expect((await h.raw(BOB))!.twoFactor).toBe(false);
  });
});
