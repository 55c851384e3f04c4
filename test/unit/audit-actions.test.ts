// The audit actions as one list (issue 23.9): `--action` is checked against it, `noun.*` is a prefix;
// and an entry's changes, field by field, as `audit show` prints them.
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, actionsMatching } from '../../src/core/audit/actions.js';
import { changesOf } from '../../src/core/audit/log.js';
import { refusal } from '../helpers/refusal.js';

describe('audit actions', () => {
  it('one action, in any case, or every action of a noun with noun.*', () => {
    expect(actionsMatching('Member.Remove')).toEqual(['member.remove']);
    expect(actionsMatching('group.*')).toEqual(AUDIT_ACTIONS.filter((a) => a.startsWith('group.')));
    expect(actionsMatching('member.*')).toContain('member.recover');
  });

  it('an action the log never records is INVALID_INPUT, with the nearest action or noun, pointing at the action field', () => {
    const typo = refusal(() => actionsMatching('member.suspnd'));
    expect(typo).toMatchObject({ code: 'INVALID_INPUT', field: 'action' });
    expect(typo.hint).toMatch(/^did you mean member\.suspend\?/);
    expect(refusal(() => actionsMatching('membr.*')).hint).toMatch(/^did you mean member\.\*\?/);
    expect(refusal(() => actionsMatching('group')).hint).toMatch(/^did you mean group\.\*\?/);
    expect(refusal(() => actionsMatching('*')).code).toBe('INVALID_INPUT');
    expect(refusal(() => actionsMatching('member.')).code).toBe('INVALID_INPUT');
  });
});

describe('changesOf', () => {
  it('lists the fields before and after differ in, an absent side as null', () => {
    expect(changesOf({ before: { role: 'member', group: 'D' }, after: { role: 'admin', group: 'D' } })).toEqual([{ field: 'role', from: 'member', to: 'admin' }]);
    expect(changesOf({ before: null, after: { group: 'D', role: 'member' } })).toEqual([{ field: 'group', from: null, to: 'D' }, { field: 'role', from: null, to: 'member' }]);
    expect(changesOf({ before: { scope: ['A'] }, after: { scope: ['A', 'B'] } })).toEqual([{ field: 'scope', from: ['A'], to: ['A', 'B'] }]);
    expect(changesOf({ before: null, after: null })).toEqual([]);
    expect(changesOf({ before: 1, after: 2 })).toEqual([{ field: 'value', from: 1, to: 2 }]);
  });
});
