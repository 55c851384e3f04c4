// Secrets (SPEC §2, issue 8): one whole session, run through the real binary, creates every kind
// of secret rollcall knows: the admin's password at init, chosen passwords, temporary passwords
// (member add, reset-password, unsuspend after a lockout, apply --secrets-out), API tokens,
// invitation tokens and links, stored sessions. Then every byte the session left behind is
// scanned: each command's stdout and stderr, the audit log, and every file in the session's
// directory (the workspace and its WAL, the backup, the saved plan, the export, the config
// directory). A secret may appear only in the one output that created it (and a session token
// only in the session file). Every file rollcall wrote is private (mode 0600, directories 0700).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN, PW, World, describeRun, expectError, expectOk, type Result } from '../helpers/world.js';

const BOB = 'bob@acme.example';
const CAROL = 'carol@acme.example';
const DAN = 'dan@acme.example';

/** Every file under dir, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [join(dir, e.name), ...filesUnder(join(dir, e.name))] : [join(dir, e.name)]));
}

const first = (body: any) => (Array.isArray(body) ? body[0] : body);

describe('secrets in a full session', () => {
  it('each secret appears only in the output that created it: not in the workspace, the audit log, any other output or file', async () => {
    const w = new World({ spawn: true });
    const runs: Result[] = [];
    /** secret → the run whose output created it; null when the test itself typed it on stdin. */
    const secrets = new Map<string, Result | null>();
    /** Files the test wrote itself (inputs), not rollcall. */
    const inputs = new Set<string>();
    const rec = async (p: Promise<Result>) => {
      const r = await p;
      runs.push(r);
      return r;
    };
    const login = (email: string, pw: string) => rec(w.run(['login', email, '--password-stdin'], { input: pw + '\n', actor: email, token: null }));
    const passwd = (email: string, current: string, next: string) => rec(w.run(['passwd', email, '--password-stdin'], { input: `${current}\n${next}\n`, actor: email, token: null }));
    const admin = (args: string[], opts = {}) => rec(w.run(args, { actor: 'admin', token: null, ...opts }));

    // init: the admin's password (typed), and the session it starts.
    expectOk(await admin(['init', '--name', 'Acme', '--domain', 'acme.example', '--admin', ADMIN, '--password-stdin'], { input: PW + '\n' }));
    secrets.set(PW, null);
    // An API token.
    const tok = expectOk(await admin(['token', 'create', '--name', 'ci', '--json']));
    secrets.set(tok.json().token, tok);
    // A temporary password from member add, then a chosen password.
    const added = expectOk(await admin(['member', 'add', BOB, '--name', 'Bob', '--role', 'admin', '--json']));
    secrets.set(added.json().temporaryPassword, added);
    secrets.set('B0bsChosenPass!', null);
    expectOk(await passwd(BOB, added.json().temporaryPassword, 'B0bsChosenPass!'));
    expectOk(await login(BOB, 'B0bsChosenPass!'));
    const bobTok = expectOk(await rec(w.as(BOB, ['token', 'create', '--name', 'bob-ci'])));
    const bobToken = bobTok.out.match(/rc_[A-Za-z0-9_-]+/)?.[0];
    expect(bobToken, describeRun(bobTok)).toBeTruthy();
    secrets.set(bobToken!, bobTok);
    // An invitation as a link, re-issued in human output, accepted; a used link tried again.
    const base = { ROLLCALL_INVITE_BASE_URL: 'https://people.acme.example/join' };
    const inv1 = expectOk(await admin(['invite', 'issue', CAROL, '--name', 'Carol', '--json'], { env: base }));
    secrets.set(inv1.json().inviteToken, inv1);
    const inv2 = expectOk(await admin(['invite', 'issue', CAROL], { env: base }));
    const inv2Token = inv2.out.match(/join\/([A-Za-z0-9_-]{16,})/)?.[1];
    expect(inv2Token, describeRun(inv2)).toBeTruthy();
    secrets.set(inv2Token!, inv2);
    expectError(await rec(w.run(['invite', 'accept', inv1.json().inviteToken, '--password-stdin'], { input: 'Car0lChosen!!\n', actor: 'x', token: null })), 4, 'INVITE_INVALID');
    expectOk(await rec(w.run(['invite', 'accept', inv2Token!, '--password-stdin'], { input: 'Car0lChosen!!\n', actor: 'x', token: null })));
    secrets.set('Car0lChosen!!', null);
    expectError(await rec(w.run(['invite', 'accept', inv2Token!, '--password-stdin'], { input: 'Car0lOther!!1\n', actor: 'x', token: null })), 4, 'INVITE_USED');
    secrets.set('Car0lOther!!1', null);
    // member add --invite.
    const dan = expectOk(await admin(['member', 'add', DAN, '--name', 'Dan', '--invite', '--json']));
    secrets.set(dan.json().invite.inviteToken, dan);
    // A reset, a refused new password, wrong guesses that lock a member out, and the unsuspend's temporary password.
    const reset = expectOk(await admin(['member', 'reset-password', CAROL, '--json']));
    secrets.set(first(reset.json()).temporaryPassword, reset);
    expectError(await passwd(CAROL, first(reset.json()).temporaryPassword, 'Secr3t-N0tAllowed'), 1, 'PASSWORD_POLICY');
    secrets.set('Secr3t-N0tAllowed', null);
    for (let i = 0; i < 3; i++) {
      expectError(await login(BOB, 'Wr0ngGuess!!' + i), 4);
      secrets.set('Wr0ngGuess!!' + i, null);
    }
    const unsuspended = expectOk(await admin(['member', 'unsuspend', BOB, '--json']));
    secrets.set(first(unsuspended.json()).temporaryPassword, unsuspended);
    // A roster: new members' temporary passwords go to --secrets-out only; a saved plan; an export; a backup.
    const roster = w.file('roster.csv', 'email,name\neve@acme.example,Eve\nfay@acme.example,Fay\n');
    inputs.add(roster);
    expectOk(await admin(['apply', roster, '--plan-out', 'saved.plan']));
    const applied = expectOk(await admin(['apply', '--plan', 'saved.plan', '--secrets-out', 'new-secrets.csv', '--yes']));
    const secretsOut = join(w.dir, 'new-secrets.csv');
    const issued = readFileSync(secretsOut, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[1]);
    expect(issued).toHaveLength(2);
    for (const s of issued) secrets.set(s, null);
    expect(applied.out + applied.err).not.toContain(issued[0]);
    expectOk(await admin(['export', '-o', 'roster-export.yaml']));
    expectOk(await admin(['backup', 'backup.db']));
    // Everything an admin might look at afterwards, human and JSON.
    for (const args of [
      ['member', 'list', '--json'], ['member', 'list'], ['member', 'show', BOB, '--json'], ['member', 'show', CAROL], ['member', 'show', DAN, '--json'],
      ['invite', 'list', '--json'], ['invite', 'list'], ['token', 'list', '--json'], ['token', 'list'], ['whoami', '--json'], ['workspace', 'show', '--json'],
      ['audit', 'list', '--limit', '1000'], ['audit', 'verify'], ['export', '--format', 'json'],
    ]) expectOk(await admin(args));
    const audit = expectOk(await admin(['audit', 'list', '--limit', '1000', '--json']));
    expect(audit.json().length).toBeGreaterThan(15);

    // The session tokens login stored: secrets too, allowed only in their own session file.
    const sessionFiles = filesUnder(w.dir).filter((f) => /cfg-/.test(f) && statSync(f).isFile());
    const sessionTokens = new Map<string, string>();
    for (const f of sessionFiles) {
      for (const t of readFileSync(f, 'utf8').match(/"token"\s*:\s*"([^"]+)"/g) ?? []) sessionTokens.set(JSON.parse(`{${t}}`).token, f);
    }
    expect(sessionTokens.size, 'the session files hold the sessions of alice, bob and carol').toBeGreaterThanOrEqual(2);

    // Scan: outputs, the audit log, the workspace (raw bytes, and a dump on PostgreSQL), every file.
    const files = filesUnder(w.dir).filter((f) => statSync(f).isFile() && !inputs.has(f));
    const contents = new Map(files.map((f) => [f, readFileSync(f)]));
    const dump = w.isPg ? w.dump() : '';
    expect(w.isPg ? dump : contents.get(w.ws)!.toString('latin1'), 'the scan reads real data').toContain(BOB);
    for (const [secret, creator] of secrets) {
      expect(secret.length >= 10, `secret ${secret}`).toBe(true);
      expect(dump.includes(secret), `a secret is stored in clear in the database: ${secret}`).toBe(false);
      expect(audit.out.includes(secret), `a secret is in audit list --json: ${secret}`).toBe(false);
      for (const r of runs) {
        if (r === creator) {
          expect(r.out, `the creating command prints its secret\n${describeRun(r)}`).toContain(secret);
          continue;
        }
        expect((r.out + r.err).includes(secret), `secret ${secret} printed by a command that did not create it:\n${describeRun(r)}`).toBe(false);
      }
      for (const [f, bytes] of contents) {
        if (f === secretsOut && issued.includes(secret)) continue;
        expect(bytes.includes(secret), `secret ${secret} found in ${relative(w.dir, f)}`).toBe(false);
      }
    }
    for (const [token, home] of sessionTokens) {
      expect(dump.includes(token), 'a session token is stored in clear in the database').toBe(false);
      for (const r of runs) expect((r.out + r.err).includes(token), `a session token was printed:\n${describeRun(r)}`).toBe(false);
      for (const [f, bytes] of contents) if (f !== home) expect(bytes.includes(token), `a session token in ${relative(w.dir, f)}`).toBe(false);
    }

    // Modes: every file rollcall wrote is 0600 (the workspace, its WAL and shared memory, the
    // backup, secrets, plan, export, sessions); its directories 0700.
    const written = filesUnder(w.dir).filter((f) => !inputs.has(f));
    expect(written.map((f) => relative(w.dir, f))).toEqual(expect.arrayContaining([
      'new-secrets.csv', 'saved.plan', 'roster-export.yaml', 'backup.db', 'cfg-admin', join('cfg-admin', 'sessions.json'), ...(w.isPg ? [] : ['ws.db']),
    ]));
    for (const f of written) {
      const st = statSync(f);
      expect({ file: relative(w.dir, f), mode: (st.mode & 0o777).toString(8) }).toEqual({ file: relative(w.dir, f), mode: st.isDirectory() ? '700' : '600' });
    }
  });
});
