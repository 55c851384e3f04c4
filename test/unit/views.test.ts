// src/core/views.ts: status is derived (SPEC §3): deleted, suspended, pending, invited, active.
import { describe, expect, it } from 'vitest';
import type { Member } from '../../src/core/model.js';
import { OrgTree } from '../../src/core/orgs/tree.js';
import { isActiveAdmin, kindOf, memberView, restorableUntil, statusOf } from '../../src/core/members/views.js';

const NOW = new Date('2030-01-07T09:00:00.000Z');

function member(patch: Partial<Member> = {}): Member {
  return {
    id: 'm_1', email: 'bob@acme.example', name: 'Bob', title: null, orgId: null, orgIds: [], role: 'viewer', scope: [],
    registered: false, suspendedAt: null, suspendedReason: null, deletedAt: null, removedBy: null, removedBatch: null,
    startDate: null, twoFactor: false, externalId: null, createdAt: '2030-01-01T00:00:00.000Z', updatedAt: '2030-01-01T00:00:00.000Z', ...patch,
  };
}

describe('statusOf', () => {
  it('is invited until the member has chosen a password, then active', () => {
    expect(statusOf(member(), NOW)).toBe('invited');
    expect(statusOf(member({ registered: true }), NOW)).toBe('active');
  });

  it('is pending while the start date is ahead, whatever the credentials', () => {
    expect(statusOf(member({ startDate: '2030-01-08' }), NOW)).toBe('pending');
    expect(statusOf(member({ startDate: '2030-01-08', registered: true }), NOW)).toBe('pending');
  });

  it('is no longer pending on the start date itself', () => {
    expect(statusOf(member({ startDate: '2030-01-07' }), NOW)).toBe('invited');
    expect(statusOf(member({ startDate: '2029-12-01', registered: true }), NOW)).toBe('active');
  });

  it('is suspended over pending, invited or active', () => {
    const s = { suspendedAt: '2030-01-02T00:00:00.000Z', suspendedReason: 'admin' };
    expect(statusOf(member(s), NOW)).toBe('suspended');
    expect(statusOf(member({ ...s, registered: true }), NOW)).toBe('suspended');
    expect(statusOf(member({ ...s, startDate: '2030-02-01' }), NOW)).toBe('suspended');
  });

  it('is deleted over everything, so a restore brings back what lies under it', () => {
    const d = { deletedAt: '2030-01-03T00:00:00.000Z' };
    expect(statusOf(member({ ...d, suspendedAt: '2030-01-02T00:00:00.000Z' }), NOW)).toBe('deleted');
    expect(statusOf(member({ ...d, registered: true }), NOW)).toBe('deleted');
    // Under the deletion, the suspension is still there.
    expect(statusOf(member({ suspendedAt: '2030-01-02T00:00:00.000Z' }), NOW)).toBe('suspended');
  });
});

describe('derived fields', () => {
  it('restorableUntil is deletedAt + 7 × 24 h, null when not removed', () => {
    expect(restorableUntil(member({ deletedAt: '2030-01-03T10:00:00.000Z' }))).toBe('2030-01-10T10:00:00.000Z');
    expect(restorableUntil(member())).toBeNull();
  });

  it('kind is internal on a workspace domain, external otherwise', () => {
    expect(kindOf('bob@acme.example', ['acme.example', 'beta.example'])).toBe('internal');
    expect(kindOf('bob@beta.example', ['acme.example', 'beta.example'])).toBe('internal');
    expect(kindOf('bob@sub.acme.example', ['acme.example'])).toBe('external');
  });

  it('only an active admin counts as one', () => {
    expect(isActiveAdmin(member({ role: 'admin', registered: true }), NOW)).toBe(true);
    expect(isActiveAdmin(member({ role: 'admin' }), NOW)).toBe(false);
    expect(isActiveAdmin(member({ role: 'admin', registered: true, suspendedAt: '2030-01-02T00:00:00.000Z' }), NOW)).toBe(false);
    expect(isActiveAdmin(member({ role: 'admin', registered: true, startDate: '2030-02-01' }), NOW)).toBe(false);
    expect(isActiveAdmin(member({ role: 'operator', registered: true }), NOW)).toBe(false);
  });

  it('the member view has every field of SPEC §10, null rather than missing', () => {
    const v = memberView(member(), new OrgTree([]), ['acme.example'], NOW) as unknown as Record<string, unknown>;
    for (const f of ['id', 'email', 'name', 'kind', 'role', 'scope', 'status', 'suspendedReason', 'org', 'orgs', 'title', 'startDate', 'twoFactor', 'createdAt', 'updatedAt', 'deletedAt', 'restorableUntil']) {
      expect(v, f).toHaveProperty(f);
      expect(v[f], f).not.toBeUndefined();
    }
    expect(v).toMatchObject({ kind: 'internal', status: 'invited', suspendedReason: null, org: null, orgs: [], scope: [], deletedAt: null, restorableUntil: null });
  });

  it('a suspendedReason shows only while suspended', () => {
    const v = memberView(member({ suspendedReason: 'stale' }), new OrgTree([]), ['acme.example'], NOW);
    expect(v.suspendedReason).toBeNull();
  });
});
