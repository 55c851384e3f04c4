// chainEvents writes each entry's columns text piece by piece (the JSON of at, batch and the actor
// made once per batch): its hashes must be those of entryHash, which writes columnsText whole.
import { describe, expect, it } from 'vitest';
import { chainEvents, entryHash, type AuditEvent } from '../../src/core/audit/chain.js';

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
