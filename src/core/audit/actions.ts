// Every action the audit log records (SPEC §9), in one list: AuditEvent.action is typed by it, so a
// new action is added here or does not compile, and `audit list --action` is checked against it.
import { fail } from '../errors.js';
import { nearest } from '../suggest.js';

export const AUDIT_ACTIONS = [
  'workspace.init', 'workspace.set', 'domain.add', 'domain.rm',
  'member.add', 'member.update', 'member.move', 'member.suspend', 'member.unsuspend', 'member.remove', 'member.restore',
  'member.purge', 'member.reset-password', 'member.passwd', 'member.lockout', 'member.recover',
  'invite.issue', 'invite.accept', 'invite.revoke',
  'token.create', 'token.revoke',
  'login.code-sent', 'login.code-not-sent', 'login.code-failed', 'login.two-step',
  'org.add', 'org.rename', 'org.mv', 'org.rm',
  'role.set', 'role.create', 'role.delete',
  'group.create', 'group.update', 'group.suspend', 'group.resume', 'group.delete',
  'group.add-member', 'group.remove-member', 'group.set-role', 'group.transfer-owner',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Group events about one member's place in a group: their target is the member, the group is in before/after. */
export const GROUP_MEMBERSHIP_ACTIONS: readonly AuditAction[] = ['group.add-member', 'group.remove-member', 'group.set-role'];

/**
 * The actions an `--action` filter names: one action, or every action under a prefix (`member.*`).
 * INVALID_INPUT for one the log never records, with the nearest known action or noun.
 */
export function actionsMatching(wanted: string): AuditAction[] {
  const text = wanted.trim().toLowerCase();
  const nouns = [...new Set(AUDIT_ACTIONS.map((a) => a.split('.')[0]))];
  const prefix = /^([a-z-]+)\.\*$/.exec(text)?.[1];
  const matched = prefix !== undefined ? AUDIT_ACTIONS.filter((a) => a.startsWith(prefix + '.')) : AUDIT_ACTIONS.filter((a) => a === text);
  if (matched.length) return matched;
  const known: Array<[string, string]> = prefix !== undefined ? nouns.map((n) => [n, `${n}.*`]) : [...AUDIT_ACTIONS.map((a): [string, string] => [a, a]), ...nouns.map((n): [string, string] => [n, `${n}.*`])];
  const guess = nearest(prefix ?? text, known);
  fail('INVALID_INPUT', `no audit action "${wanted}"`, `${guess ? `did you mean ${guess}? ` : ''}actions are ${nouns.map((n) => `${n}.*`).join(', ')}, e.g. ${AUDIT_ACTIONS[4]}`, 'action');
}
