// Reading mail settings (SPEC §14): SMTP URLs, their redaction, and senders. No server needed.
// And the start-up cost: nodemailer is loaded only by a command that sends.
import { describe, expect, it } from 'vitest';
import { importGraph } from '../helpers/import-graph.js';
import { refusal } from '../helpers/refusal.js';
import { parseSmtpUrl, redactSmtpUrl, senderParts } from '../../src/core/mail/settings.js';
import { maskEmail, parseCode } from '../../src/core/auth/two-step.js';

describe('SMTP URLs', () => {
  it('reads smtp:// (STARTTLS when offered) and smtps://, user and password percent-decoded, the options it knows', () => {
    expect(parseSmtpUrl('smtp://mail.acme.example', 'x')).toEqual({ secure: false, host: 'mail.acme.example', port: null, user: null, password: null, starttls: 'offered', verifyTls: true });
    expect(parseSmtpUrl('smtps://us%40er:p%40ss%3Aw@mail.acme.example:465', 'x')).toMatchObject({ secure: true, port: 465, user: 'us@er', password: 'p@ss:w' });
    expect(parseSmtpUrl('smtp://[::1]:2525/?starttls=required&tls-verify=false', 'x')).toMatchObject({ host: '::1', port: 2525, starttls: 'required', verifyTls: false });
    expect(parseSmtpUrl('smtp://h.example?starttls=never', 'x').starttls).toBe('never');
  });

  it('refuses what it cannot use, naming where the URL came from and never its password', () => {
    for (const url of ['http://u:Secr3t@h.example', 'smtp://u:Secr3t@h.example/path', 'smtp://u:Secr3t@h.example?tls=yes', 'smtps://u:Secr3t@h.example?starttls=required', 'not a url Secr3t']) {
      const e = refusal(() => parseSmtpUrl(url, 'ROLLCALL_SMTP_URL'));
      expect(e.code, url).toBe('INVALID_INPUT');
      expect(e.message, url).toMatch(/^ROLLCALL_SMTP_URL is not a usable mail server URL: /);
      expect(e.message + e.hint, url).not.toContain('Secr3t');
    }
  });

  it('redacts the password, and only the password', () => {
    expect(redactSmtpUrl('smtp://user:Secr3t@mail.acme.example:587?starttls=required')).toBe('smtp://user@mail.acme.example:587?starttls=required');
    expect(redactSmtpUrl('smtps://mail.acme.example')).toBe('smtps://mail.acme.example');
    expect(redactSmtpUrl('smtp://user:Secr3t@bad host')).not.toContain('Secr3t');
  });
});

describe('senders, codes, masked addresses', () => {
  it('a sender is an address or a name and an address; no line breaks or quotes in the name', () => {
    expect(senderParts('Rollcall@Acme.example', 'x')).toEqual({ name: null, address: 'rollcall@acme.example' });
    expect(senderParts('"Acme directory" <rollcall@acme.example>', 'x')).toEqual({ name: 'Acme directory', address: 'rollcall@acme.example' });
    expect(refusal(() => senderParts('Acme\r\nBcc: x@y.example <rollcall@acme.example>', 'mail-from')).code).toBe('INVALID_INPUT');
    expect(refusal(() => senderParts('nobody', 'mail-from')).code).toBe('INVALID_INPUT');
  });

  it('a code is six digits, typed with spaces or dashes, or in the link that carried it', () => {
    expect(parseCode(' 123 456 ')).toBe('123456');
    expect(parseCode('123-456')).toBe('123456');
    expect(parseCode('https://id.acme.example/login?email=b%40acme.example&code=012345')).toBe('012345');
    expect(refusal(() => parseCode('12345')).code).toBe('INVALID_INPUT');
  });

  it('masks an address to its first character and domain', () => {
    expect(maskEmail('bob@acme.example')).toBe('b•••@acme.example');
  });
});

describe('start-up cost', () => {
  it('no static import chain from src/cli/main.ts reaches nodemailer: it is imported when a message is sent', async () => {
    const { reached, dynamic } = await importGraph();
    expect(reached).toContain('src/mail/smtp.ts');
    expect(dynamic).toContain('nodemailer');
    expect([...reached].filter((p) => /^nodemailer(\/|$)/.test(p))).toEqual([]);
  });
});
