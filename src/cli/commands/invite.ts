import type { Command } from 'commander';
import { localPart, parseEmail } from '../../core/email.js';
import { checkName } from '../../core/text.js';
import { isMember } from '../../core/members/targets.js';
import { acceptInvite, issueAndMailInvite, issueInvite, listInvites, revokeInvite } from '../../core/invites.js';
import { action, examples, collect } from '../action.js';
import type { IO } from '../io.js';
import { clean } from '../render.js';
import { shellQuote } from '../../core/shell.js';
import { INVITE_FIELDS, INVITE_ISSUE_FIELDS, withOutput } from '../lists.js';

export function registerInvite(program: Command, io: IO) {
  const invite = program.command('invite').description('invitation links: valid 24 hours, usable once');
  withOutput(invite.command('issue')
    .description('invite a new member, or re-issue for one who has not registered (the old link dies)'), INVITE_ISSUE_FIELDS)
    .argument('[email]', 'who (asked at a terminal)')
    .option('--name <name>', "display name of a new member (default: the address's local part; asked at a terminal)")
    .option('--role <role>', 'workspace role (default viewer)')
    .option('--scope <org>', 'org subtree for a scoped role (repeatable)', collect)
    .option('--org <path>', 'primary org')
    .option('--send', 'mail the link to the invitee instead of printing it (needs a mail server: rollcall help environment)')
    .addHelpText('after', examples('rollcall invite issue               # at a terminal: asks for the address, and for a new member its name, role and org', 'ROLLCALL_INVITE_BASE_URL=https://id.acme.example/join rollcall invite issue dan@acme.example   # named "dan" until --name or the invitee says otherwise',
      'rollcall invite issue dan@acme.example --send   # the link goes by mail to dan alone; nothing is changed if it cannot'))
    .action(action(io, async (cli, emailArg: string | undefined, o: { name?: string; role?: string; scope?: string[]; org?: string; send?: boolean }) => {
      const { ws, actor } = await cli.signedIn();
      const email = await cli.prompt.ask(emailArg, 'EMAIL', 'email address', { check: parseEmail });
      let given = o;
      if (o.name === undefined && cli.interactive && !(await ws.read(actor, (s) => isMember(s, email)))) {
        const name = await cli.prompt.ask(undefined, '--name', 'display name', { default: localPart(parseEmail(email)), check: (v) => checkName(v) });
        given = { ...o, name, ...(await cli.prompt.placement(ws, actor, o)) };
      }
      const { send, ...input } = given;
      if (send) {
        const mailed = await ws.write(actor, (s) => issueAndMailInvite(s, { email, ...input }, io.env.ROLLCALL_INVITE_BASE_URL));
        return cli.render.record(mailed, () => cli.render.out(`Invited ${mailed.email}: the invitation went by mail, valid until ${mailed.expiresAt}, once (the server said: ${clean(mailed.mailResponse)})`));
      }
      const issued = await ws.write(actor, (s) => issueInvite(s, { email, ...input }, io.env.ROLLCALL_INVITE_BASE_URL));
      await cli.render.record(issued, () => {
        cli.render.out(`Invited ${issued.email}`);
        cli.render.invite(issued);
      });
    }));
  invite.command('accept')
    .description('accept an invitation: choose a password; the member becomes active')
    .addHelpText('after', examples('rollcall invite accept ri_Xy12…   # asks for a password twice', 'echo "$PASSWORD" | rollcall invite accept ri_Xy12… --password-stdin --name "Dan Brown"'))
    .argument('<token>', 'the invitation token (or the last part of the link)')
    .option('--password-stdin', 'read the new password from standard input')
    .option('--name <name>', 'your display name (else the one the invitation was issued with)')
    .action(action(io, async (cli, token: string, o: { passwordStdin?: boolean; name?: string }) => {
      if (o.name !== undefined) checkName(o.name); // a bad name is refused before the password is asked for
      const password = await cli.prompt.secret('new password', !!o.passwordStdin, 0, { confirm: true });
      const member = await acceptInvite(await cli.open(), token.split('/').pop()!, password, o.name);
      if (cli.opts.json) return cli.render.printJson({ email: member.email, name: member.name, status: 'active' });
      cli.render.out(`Welcome, ${member.email}: sign in with rollcall login ${shellQuote(member.email)}`);
    }));
  withOutput(invite.command('list')
    .description('open invitations and their expiry'), INVITE_FIELDS, { csv: true })
    .addHelpText('after', examples('rollcall invite list'))
    .action(action(io, async (cli) => {
      const { ws, actor } = await cli.signedIn();
      const list = await ws.read(actor, (s) => listInvites(s));
      await cli.render.list({
        fields: INVITE_FIELDS, headers: ['EMAIL', 'ISSUED', 'EXPIRES', ''], row: (i) => [i.email, i.createdAt, i.expiresAt, i.expired ? 'expired' : ''], csv: INVITE_FIELDS,
      }, list);
    }));
  invite.command('revoke')
    .description("revoke a member's open invitation")
    .addHelpText('after', examples('rollcall invite revoke dan@acme.example'))
    .argument('<target>', 'email or id')
    .action(action(io, async (cli, target: string) => {
      const { ws, actor } = await cli.signedIn();
      const r = await ws.write(actor, (s) => revokeInvite(s, target));
      if (cli.opts.json) return cli.render.printJson(r);
      cli.render.out(`Revoked the invitation of ${r.email}`);
    }));
}
