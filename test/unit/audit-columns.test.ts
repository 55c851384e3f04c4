// chainEvents writes each entry's columns text piece by piece (the JSON of at, batch and the actor
// made once per batch): its hashes must be those of entryHash, which writes columnsText whole. And
// bodyOf, written out field by field, writes what the helper it replaced wrote.
import { describe, expect, it } from 'vitest';
import { bodyOf, chainEvents, columnsText, entryHash, type AuditEvent } from '../../src/core/audit/chain.js';

const AT = '2030-01-07T09:00:00.000Z';

describe('chainEvents columns', () => {
  it('hashes columns holding quotes, control characters, non-ASCII and a null actor as columnsText writes them', () => {
    const odd: AuditEvent[] = [
      { action: 'member.add', target: 'a"b\\c@acme.example', targetId: 'm_1' },
      { action: 'member.update', target: 'tab\there\u2028\u0000', actor: null },
      { action: 'org.rename', target: '営業/東京', actor: 'ré"x' },
    ];
    const rows = chainEvents({ seq: 9, hash: 'h9' }, AT, 'al"ice\n@acme.example', 'b\u202e1', odd);
    let prev = 'h9';
    for (const r of rows) {
      expect(r.hash).toBe(entryHash(prev, r));
      // The canonical form, whatever code writes it: JSON.stringify's text for the array of columns.
      expect(columnsText(r)).toBe(JSON.stringify([r.seq, r.at, r.actor, r.action, r.target, r.batch]));
      prev = r.hash;
    }
    expect(rows.map((r) => r.actor)).toEqual(['al"ice\n@acme.example', null, 'ré"x']);
    expect(rows.map((r) => r.seq)).toEqual([10, 11, 12]);
  });

  it('hashes a batch with no actor (what the system does by itself)', () => {
    const rows = chainEvents({ seq: 0, hash: '' }, AT, null, 'b2', [{ action: 'member.purge', target: 'x@acme.example' } as AuditEvent]);
    expect(rows[0].hash).toBe(entryHash('', rows[0]));
  });
});

/** bodyOf as it was written before, with a helper: the reference. */
function bodyBefore(e: AuditEvent): string {
  let body = '';
  const add = (key: string, value: unknown) => {
    if (value !== null && value !== undefined) body += (body ? ',"' : '{"') + key + '":' + JSON.stringify(value);
  };
  add('targetId', e.targetId);
  add('before', e.before);
  add('after', e.after);
  add('reason', e.reason);
  return body ? body + '}' : '{}';
}

describe('bodyOf', () => {
  it('writes every combination of present, null and missing fields as before', () => {
    const values = [undefined, null, '', 'x"\\\n\u2028', 0, false, [], { a: [1, null], b: 'é' }];
    let n = 0;
    for (const targetId of [undefined, null, 'm_1']) {
      for (const before of values) {
        for (const after of values) {
          for (const reason of [undefined, null, 'on leave', '']) {
            const e = { action: 'member.update', target: 't', targetId, before, after, reason } as AuditEvent;
            expect(bodyOf(e)).toBe(bodyBefore(e));
            n++;
          }
        }
      }
    }
    expect(n).toBe(3 * 8 * 8 * 4);
  });
});
