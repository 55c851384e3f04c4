// SPEC §14 two-step sign-in (issue 24, seed 004 ⑦) and the mail that carries it, against a real SMTP
// server on the loopback address: smtp-server, in this process, one for the whole file (a second one
// offers STARTTLS). Every message really goes over SMTP; the tests read the code from what arrived.
// Time moves with ROLLCALL_NOW, never by sleeping. Each test has its own addresses: they run at once.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTER, atTerminal, describeTerminal } from '../helpers/terminal.js';
import { BACKEND, ROOT, World, at, describeRun, expectError, expectOk, type Result } from '../helpers/world.js';

const SMTP_USER = 'rollcall';
const SMTP_PASSWORD = 'Sm7p-P@ss:w/rd';
const PW = 'Passw0rdOf2fa!';

interface Received {
  to: string[];
  from: string;
  text: string;
  secure: boolean;
}

const inbox: Received[] = [];
const servers: SMTPServer[] = [];
let port = 0;
let tlsPort = 0;
let downPort = 0;

function startServer(options: SMTPServerOptions): Promise<number> {
  const server = new SMTPServer({
    logger: false, allowInsecureAuth: true, authOptional: false,
    onAuth(auth, _session, done) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) return done(null, { user: SMTP_USER });
      done(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, done) {
      if (address.address.startsWith('bounce')) return done(Object.assign(new Error(`5.1.1 <${address.address}>: no such mailbox here`), { responseCode: 550 }));
      done();
    },
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        // Quoted-printable soft line breaks joined, so that a code or a link reads whole.
        const text = Buffer.concat(chunks).toString('utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
        const from = session.envelope.mailFrom;
        inbox.push({ to: session.envelope.rcptTo.map((a) => a.address), from: from ? from.address : '', text, secure: session.secure });
        done();
      });
    },
    ...options,
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port)));
}

/** A port nothing listens on: the mail server is down. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

beforeAll(async () => {
  port = await startServer({ disabledCommands: ['STARTTLS'] });
  tlsPort = await startServer({}); // STARTTLS offered, with smtp-server's own (self-signed) certificate
  downPort = await closedPort();
});
afterAll(async () => {
  for (const s of servers) await new Promise((r) => s.close(() => r(undefined)));
});

const credentials = `${SMTP_USER}:${encodeURIComponent(SMTP_PASSWORD)}`;
const smtpUrl = () => `smtp://${credentials}@127.0.0.1:${port}`;
const MAIL = () => ({ ROLLCALL_SMTP_URL: smtpUrl() });

/** The newest message to `address`. */
function lastMailTo(address: string): Received {
  const found = inbox.filter((m) => m.to.includes(address)).pop();
  if (!found) throw new Error(`no mail to ${address}; the inbox holds mail to ${inbox.flatMap((m) => m.to).join(', ')}`);
  return found;
}

function codeIn(mail: Received): string {
  const m = /--code (\d{6})\b/.exec(mail.text);
  if (!m) throw new Error(`no code in the mail:\n${mail.text}`);
  return m[1];
}

/** A six-digit code that is not `code`. */
function wrong(code: string): string {
  return code.slice(0, 5) + String((Number(code[5]) + 1) % 10);
}

/** Nothing of the mail server's password in what a run printed. */
function noSecret(r: Result): Result {
  for (const s of [SMTP_PASSWORD, encodeURIComponent(SMTP_PASSWORD)]) expect(r.out + r.err, describeRun(r)).not.toContain(s);
  return r;
}

function login(w: World, email: string, opts: { now?: string; env?: Record<string, string>; password?: string } = {}): Promise<Result> {
  return w.run(['login', email, '--password-stdin', '--json'], { input: (opts.password ?? PW) + '\n', actor: email, token: null, now: opts.now, env: opts.env ?? MAIL() });
}

function withCode(w: World, email: string, code: string, now?: string): Promise<Result> {
  return w.run(['login', email, '--code', code, '--json'], { actor: email, token: null, now, env: MAIL() });
}

/** An active member (password PW) with two-step sign-in on. */
async function twoStepMember(w: World, email: string): Promise<void> {
  const tmp = expectOk(await w.run(['member', 'add', email, '--name', 'Two Step', '--2fa', '--json'], { env: MAIL() })).json().temporaryPassword;
  expectOk(await w.run(['passwd', email, '--password-stdin'], { input: `${tmp}\n${PW}\n`, actor: email, token: null }));
}

async function actions(w: World, target: string): Promise<string[]> {
  const list = expectOk(await w.run(['audit', 'list', '--target', target, '--json'])).json() as Array<{ action: string }>;
  return list.map((e) => e.action).reverse();
}

describe.concurrent('two-step sign-in', () => {
  it('needs a mail server to be turned on (member add, member update, a roster 2fa column): INVALID_STATE with a hint; workspace set smtp-url never shows its password; mail test reports the answer', async () => {
    const w = await World.ready();
    const none = expectError(await w.run(['member', 'add', 'ann@acme.example', '--name', 'Ann', '--2fa']), 1, 'INVALID_STATE');
    expect(none.err).toMatch(/two-step sign-in.*needs a mail server/);
    expect(none.err).toContain('hint: configure a mail server first: rollcall workspace set smtp-url');
    expectError(await w.run(['member', 'show', 'ann@acme.example']), 3, 'NOT_FOUND');
    expectOk(await w.run(['member', 'add', 'ann@acme.example', '--name', 'Ann']));
    expectError(await w.run(['member', 'update', 'ann@acme.example', '--2fa', 'on']), 1, 'INVALID_STATE');
    const roster = w.file('r.csv', 'email,name,2fa\nann@acme.example,Ann,on\n');
    expectError(await w.run(['apply', roster, '--dry-run']), 1, 'INVALID_STATE'); // a dry run refuses what the apply would
    expectError(await w.run(['apply', roster, '--yes']), 1, 'INVALID_STATE');
    expectError(await w.run(['apply', w.file('bad.csv', 'email,name,2fa\nann@acme.example,Ann,perhaps\n'), '--dry-run']), 2, 'ROSTER_INVALID');

    // The workspace's own setting: stored, shown and audited without its password.
    noSecret(expectError(await w.run(['workspace', 'set', 'smtp-url', `http://${credentials}@127.0.0.1:${port}`]), 2, 'INVALID_INPUT'));
    const set = noSecret(expectOk(await w.run(['workspace', 'set', 'smtp-url', smtpUrl(), '--json'])));
    expect(set.json().smtpUrl).toBe(`smtp://${SMTP_USER}@127.0.0.1:${port}`);
    expectOk(await w.run(['workspace', 'set', 'mail-from', 'Acme directory <rollcall@acme.example>']));
    noSecret(expectOk(await w.run(['workspace', 'show'])));
    noSecret(expectOk(await w.run(['audit', 'list', '--action', 'workspace.set', '--json'])));

    const plan = expectOk(await w.run(['apply', roster, '--yes', '--json'])).json();
    expect(plan.changes).toEqual([{ action: 'change', email: 'ann@acme.example', fields: { twoFactor: { from: false, to: true } } }]);
    expect((await w.member('ann@acme.example')).twoFactor).toBe(true);
    expectOk(await w.run(['member', 'add', 'abe@acme.example', '--name', 'Abe', '--2fa']));
    // Clearing the server while members depend on it would lock them out.
    expectError(await w.run(['workspace', 'set', 'smtp-url', '']), 1, 'INVALID_STATE');

    const test = noSecret(expectOk(await w.run(['mail', 'test', 'ann@acme.example', '--json']))).json();
    expect(test).toMatchObject({ to: 'ann@acme.example', from: 'Acme directory <rollcall@acme.example>', server: `smtp://${SMTP_USER}@127.0.0.1:${port}`, source: 'workspace', accepted: ['ann@acme.example'] });
    expect(test.response).toMatch(/^250 /);
    const mail = lastMailTo('ann@acme.example');
    expect(mail.from).toBe('rollcall@acme.example');
    expect(mail.text).toContain('Subject: Test message from Acme');

    // STARTTLS when the server offers it: a certificate that does not verify is refused, unless told.
    const tls = `smtp://${credentials}@127.0.0.1:${tlsPort}`;
    const refused = noSecret(expectError(await w.run(['mail', 'test', 'ann@acme.example'], { env: { ROLLCALL_SMTP_URL: tls } }), 6, 'MAIL_UNAVAILABLE'));
    expect(refused.err).toMatch(/TLS failed|certificate/);
    expectOk(await w.run(['mail', 'test', 'tls@acme.example'], { env: { ROLLCALL_SMTP_URL: `${tls}?tls-verify=false` } }));
    expect(lastMailTo('tls@acme.example').secure).toBe(true);
  });

  it('a member with --2fa on cannot sign in with the password alone: exit 4 SECOND_FACTOR_REQUIRED, then the mailed code completes it, once', async () => {
    const w = await World.ready();
    const bob = 'bob@acme.example';
    await twoStepMember(w, bob);
    const first = expectError(await login(w, bob, { env: { ...MAIL(), ROLLCALL_LOGIN_BASE_URL: 'https://id.acme.example/login' } }), 4, 'SECOND_FACTOR_REQUIRED');
    expect(first.error()).toMatchObject({ message: `${bob} signs in in two steps: a code was sent to b•••@acme.example`, hint: `enter it within 10 minutes: rollcall login ${bob} --code CODE`, sentTo: 'b•••@acme.example', expiresAt: at('+10m') });
    expectError(await w.as(bob, ['whoami']), 4, 'NOT_AUTHENTICATED'); // no session from the password alone
    const mail = lastMailTo(bob);
    const code = codeIn(mail);
    expect(mail.text).toContain(`https://id.acme.example/login?email=bob%40acme.example&code=${code}`);
    const stored = w.sql('SELECT hash FROM login_codes');
    expect(stored).toMatch(/^scrypt\$/); // stored hashed (salted: six digits are few), never the code itself
    expect(stored).not.toContain(code);

    const signed = expectOk(await withCode(w, bob, code, at('+9m')));
    expect(signed.json()).toMatchObject({ email: bob, expiresAt: at('+12h', at('+9m')) });
    expect(expectOk(await w.as(bob, ['whoami'], { now: at('+9m') })).out).toContain(bob);
    expect(expectError(await withCode(w, bob, code, at('+9m')), 4, 'INVALID_CREDENTIALS').err).toContain('no sign-in code is waiting'); // used
    expect(await actions(w, bob)).toEqual(expect.arrayContaining(['login.code-sent', 'login.two-step', 'login.code-failed']));

    // Not asked for a code: passwd, and an API token made by the member signed in with both steps.
    expectOk(await w.run(['passwd', bob, '--password-stdin'], { input: `${PW}\nAn0therPassw0rd\n`, actor: bob, token: null }));
    const token = expectOk(await w.as(bob, ['token', 'create', '--name', 'ci', '--json'], { now: at('+9m') })).json().token;
    expect(expectOk(await w.run(['whoami', '--json'], { actor: 'ci', token, now: at('+1h') })).json().email).toBe(bob);
  });

  it('a wrong, expired or superseded code fails and counts like a wrong password: three in a row lock the account', async () => {
    const w = await World.ready();
    const cy = 'cy@acme.example';
    await twoStepMember(w, cy);
    expectError(await login(w, cy), 4, 'SECOND_FACTOR_REQUIRED');
    const superseded = codeIn(lastMailTo(cy));
    expectError(await login(w, cy), 4, 'SECOND_FACTOR_REQUIRED'); // a new sign-in replaces the code
    const newest = codeIn(lastMailTo(cy));
    if (newest !== superseded) expect(expectError(await withCode(w, cy, superseded), 4, 'INVALID_CREDENTIALS').err).toContain('the sign-in code is wrong'); // 1
    expectOk(await withCode(w, cy, newest)); // both steps passed: the count starts again

    expectError(await login(w, cy), 4, 'SECOND_FACTOR_REQUIRED');
    const late = codeIn(lastMailTo(cy));
    expect(expectError(await withCode(w, cy, late, at('+10m')), 4, 'INVALID_CREDENTIALS').err).toContain(`expired at ${at('+10m')}`); // 1
    expectError(await login(w, cy, { password: 'Wr0ngPassw0rd', now: at('+11m') }), 4, 'INVALID_CREDENTIALS'); // 2
    expectError(await login(w, cy, { now: at('+11m') }), 4, 'SECOND_FACTOR_REQUIRED'); // the right password resets nothing
    const last = codeIn(lastMailTo(cy));
    expectError(await withCode(w, cy, wrong(last), at('+12m')), 4, 'INVALID_CREDENTIALS'); // 3: locked
    expect(expectError(await withCode(w, cy, last, at('+12m')), 4, 'ACCOUNT_SUSPENDED').err).toContain('account is not enabled');
    expect(await w.member(cy)).toMatchObject({ status: 'suspended', suspendedReason: 'too-many-failed-logins' });
    expectError(await withCode(w, cy, '12345'), 2, 'INVALID_INPUT'); // not a code at all: nothing to count
  });

  it('mail that cannot leave (server down, login refused, recipient refused) is MAIL_UNAVAILABLE, exit 6, with the answer and no password; nothing counts, and the code before still works', async () => {
    const w = await World.ready();
    const dee = 'dee@acme.example';
    await twoStepMember(w, dee);
    expectError(await login(w, dee), 4, 'SECOND_FACTOR_REQUIRED');
    const code = codeIn(lastMailTo(dee));
    const mailsTo = (address: string) => inbox.filter((m) => m.to.includes(address)).length;
    const sent = mailsTo(dee);

    const down = noSecret(expectError(await login(w, dee, { env: { ROLLCALL_SMTP_URL: `smtp://${credentials}@127.0.0.1:${downPort}` } }), 6, 'MAIL_UNAVAILABLE'));
    expect(down.err).toContain(`cannot send mail through smtp://${SMTP_USER}@127.0.0.1:${downPort} (ROLLCALL_SMTP_URL): the server cannot be reached`);
    expect(down.err).toContain('nothing counts against the account');
    const badLogin = `smtp://${SMTP_USER}:${encodeURIComponent('not-' + SMTP_PASSWORD)}@127.0.0.1:${port}`;
    const refused = noSecret(expectError(await login(w, dee, { env: { ROLLCALL_SMTP_URL: badLogin } }), 6, 'MAIL_UNAVAILABLE'));
    expect(refused.err).toMatch(/the server refused the login of rollcall: 535 /);
    expect(refused.err).not.toContain(encodeURIComponent('not-' + SMTP_PASSWORD));
    expect(refused.err).not.toContain('not-' + SMTP_PASSWORD);
    expect(mailsTo(dee)).toBe(sent);
    // Three failures would have locked dee out: none counted, and the code mailed before still stands.
    expectOk(await withCode(w, dee, code));
    expect(await actions(w, dee)).toEqual(expect.arrayContaining(['login.code-not-sent', 'login.two-step']));
    noSecret(expectOk(await w.run(['audit', 'list', '--json'])));

    // The server refuses the address itself.
    const bounce = 'bounce@acme.example';
    await twoStepMember(w, bounce);
    const rejected = expectError(await login(w, bounce), 6, 'MAIL_UNAVAILABLE');
    expect(rejected.err).toMatch(/the server refused the message: 550 /);
    expect(expectError(await w.run(['mail', 'test', bounce], { env: MAIL() }), 6, 'MAIL_UNAVAILABLE').err).toContain('550');
    // No server at all, for a member who has it on: the sign-in cannot go on.
    expect(expectError(await login(w, dee, { env: {} }), 6, 'MAIL_UNAVAILABLE').err).toContain('no mail server is configured');
  });

  it('recover turns two-step sign-in off: an admin whose codes cannot be mailed gets back in, and the log says so', async () => {
    const w = await World.ready();
    const root = 'root@acme.example';
    const tmp = expectOk(await w.run(['member', 'add', root, '--name', 'Root', '--role', 'admin', '--2fa', '--json'], { env: MAIL() })).json().temporaryPassword;
    expectOk(await w.run(['passwd', root, '--password-stdin'], { input: `${tmp}\n${PW}\n`, actor: root, token: null }));
    const down = { ROLLCALL_SMTP_URL: `smtp://${credentials}@127.0.0.1:${downPort}` };
    expectError(await login(w, root, { env: down }), 6, 'MAIL_UNAVAILABLE');

    const r = expectOk(await w.run(['recover', root], { actor: 'nobody', token: null, env: down }));
    expect(r.err).toContain(`two-step sign-in is off for ${root}; once signed in, turn it on again: rollcall member update ${root} --2fa on`);
    const temporary = /temporary password for \S+: (\S+)/.exec(r.out)?.[1];
    expect(temporary, describeRun(r)).toBeDefined();
    const changed = 'N3wR00tPassw0rd!';
    expectOk(await w.run(['passwd', root, '--password-stdin'], { input: `${temporary}\n${changed}\n`, actor: root, token: null, env: down }));
    expectOk(await login(w, root, { env: down, password: changed })); // no code asked for, none mailed
    expect((await w.member(root)).twoFactor).toBe(false);
    const [entry] = expectOk(await w.run(['audit', 'list', '--action', 'member.recover', '--json'])).json() as Array<{ before: { twoFactor: boolean }; after: { twoFactor: boolean } }>;
    expect([entry.before.twoFactor, entry.after.twoFactor]).toEqual([true, false]);

    // An admin without it is recovered as before, with no such note.
    const plain = expectOk(await w.run(['recover', root], { actor: 'nobody', token: null }));
    expect(plain.err).not.toContain('two-step');
  });

  it('invite issue --send mails the link to the invitee, and prints no secret; without a server, or refused, nothing changes', async () => {
    const w = await World.ready();
    const env = { ...MAIL(), ROLLCALL_INVITE_BASE_URL: 'https://id.acme.example/join' };
    expectError(await w.run(['invite', 'issue', 'eve@acme.example', '--send']), 1, 'INVALID_STATE');
    expectError(await w.run(['invite', 'issue', 'bounce2@acme.example', '--send'], { env }), 6, 'MAIL_UNAVAILABLE');
    expectError(await w.run(['member', 'show', 'bounce2@acme.example']), 3, 'NOT_FOUND'); // rolled back: no member, no link
    const r = expectOk(await w.run(['invite', 'issue', 'eve@acme.example', '--send', '--json'], { env }));
    expect(r.json()).toMatchObject({ email: 'eve@acme.example', inviteToken: null, inviteUrl: null, expiresAt: at('+24h'), mailedTo: 'eve@acme.example' });
    const link = /https:\/\/id\.acme\.example\/join\/(ri_\S+)/.exec(lastMailTo('eve@acme.example').text);
    expect(link, lastMailTo('eve@acme.example').text).not.toBeNull();
    expect(r.out + r.err).not.toContain(link![1]);
    expectOk(await w.run(['invite', 'accept', link![1], '--password-stdin'], { input: PW + '\n', actor: 'invitee', token: null }));
    expect((await w.member('eve@acme.example')).status).toBe('active');
  });

});

// The terminal blocks this process while it runs (pty-driver.py): alone, after the tests above, and
// with the mail going to a server in a process of its own. The same on both backends: SQLite only.
describe('two-step sign-in at a terminal', () => {
  it.skipIf(BACKEND === 'pg')('at a terminal, login asks for the code after the password, and again after a wrong one', async () => {
    const w = await World.ready();
    const fay = 'fay@acme.example';
    await twoStepMember(w, fay);
    const mails = w.file('mails.txt', '');
    const catcher = spawn(process.execPath, [join(ROOT, 'test', 'helpers', 'mail-catcher.mjs'), mails], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const catcherPort = await new Promise<number>((resolve, reject) => {
        catcher.stdout.once('data', (d) => resolve(Number(String(d).trim())));
        catcher.once('error', reject);
      });
      const args = ['login', fay];
      const r = atTerminal(w, args, [
        { expect: 'Password', send: PW + ENTER },
        { expect: 'code from the mail to f•••@acme\\.example', send: '000000' + ENTER }, // wrong but one time in a million
        { expect: 'try again[\\s\\S]*code from the mail', send: ENTER, fromFile: { path: mails, pattern: '--code (\\d{6})' } },
      ], { actor: fay, token: null, env: { ROLLCALL_SMTP_URL: `smtp://127.0.0.1:${catcherPort}` } });
      expect(r.code, describeTerminal(args, r)).toBe(0);
      expect(r.text).toContain('a code was sent to f•••@acme.example');
      expect(r.text).toContain('error: the sign-in code is wrong: try again');
      expect(r.text).toContain(`Signed in as ${fay}`);
      expect(expectOk(await w.as(fay, ['whoami'])).out).toContain(fay);
    } finally {
      catcher.kill();
    }
  });
});
