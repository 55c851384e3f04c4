// The Tx interface over any SqlDriver: all of rollcall's SQL, once, for both backends.
import type {
  AuditRecord, Credentials, CustomRole, Group, GroupMembership, InviteRecord, Member, Org,
  SessionRecord, TokenRecord,
} from '../../core/model.js';
import type { AuditFilter, MemberFacts, PurgedEmail, TableName, Tx } from '../../core/store.js';
import {
  MEMBER_COLUMNS, MEMBER_FACT_COLUMNS, credentialsFromRow, groupFromRow, inviteFromRow, memberFactsFromArray, memberFromRow, memberScanner,
  memberValues, membershipFromRow, orgFromRow, roleFromRow, sessionFromRow, tokenFromRow,
} from './rows.js';
import { AuditSql } from './audit.js';
import { layoutOf, type Layout } from './layout.js';
import { SCAN_BATCH, chunks, mapBatches, mapped, type SqlDriver } from './driver.js';
import { LoginCodeSql } from './login-codes.js';
import { dumpTable, loadTable } from './table-copy.js';

const CREDENTIAL_COLUMNS = ['member_id', 'password_hash', 'password_set_at', 'temp_hash', 'temp_issued_at', 'failed_logins'];
const IN_CHUNK = 500;

/** The layout of a workspace at this program's schema version. */
export const CURRENT_LAYOUT: Layout = layoutOf(Number.MAX_SAFE_INTEGER);

export class SqlTx extends LoginCodeSql implements Tx {
  private readonly audit: AuditSql;
  /** `layout`: that of the workspace's schema version (an older one only when it is read as it is). */
  /** The member columns a scan reads: MEMBER_COLUMNS, without external_id before version 5 (the last, read as null). */
  private readonly memberColumns: string;
  constructor(db: SqlDriver, layout: Layout = CURRENT_LAYOUT) {
    super(db);
    this.audit = new AuditSql(db, layout);
    this.memberColumns = MEMBER_COLUMNS.filter((c) => layout.externalIds || c !== 'external_id').join(', ');
  }

  private async first(sql: string, params: unknown[] = []) {
    return (await this.db.all(sql, params))[0] ?? null;
  }
  private one<T>(sql: string, params: unknown[], of: (r: Record<string, any>) => T): Promise<T | null> {
    return this.first(sql, params).then((r) => (r ? of(r) : null));
  }

  /** `fn` for each condition that `column` is one of `values` (SqlDriver.oneOf), in turn. */
  private async forEachOf(column: string, values: readonly string[], fn: (where: string, params: unknown[]) => Promise<void>) {
    for (const { sql, params } of this.db.oneOf(column, values)) await fn(sql, params);
  }

  async getMeta() {
    const rows = await this.db.all('SELECT key, value FROM meta');
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }
  async setMeta(key: string, value: string) {
    await this.db.upsertRows('meta', ['key', 'value'], ['key'], [[key, value]]);
  }
  async listDomains() {
    return (await this.db.all('SELECT domain FROM domains ORDER BY added_at, domain')).map((r) => r.domain as string);
  }
  async addDomain(domain: string, at: string) {
    await this.db.run('INSERT INTO domains (domain, added_at) VALUES (?, ?)', [domain, at]);
  }
  async removeDomain(domain: string) {
    await this.db.run('DELETE FROM domains WHERE domain = ?', [domain]);
  }

  getMember(id: string) {
    return this.one('SELECT * FROM members WHERE id = ?', [id], memberFromRow);
  }
  async getMembersByExternalId(externalId: string) {
    return (await this.db.all('SELECT * FROM members WHERE external_id = ? ORDER BY email', [externalId])).map(memberFromRow);
  }
  getMemberByEmail(email: string) {
    return this.one('SELECT * FROM members WHERE email = ?', [email], memberFromRow);
  }
  async getMembersByEmails(emails: string[]) {
    const out: Member[] = [];
    // Each member once, however often its email is asked for (chunks would otherwise repeat it).
    await this.forEachOf('email', [...new Set(emails)], async (where, params) => {
      for (const r of await this.db.all(`SELECT * FROM members WHERE ${where}`, params)) out.push(memberFromRow(r));
    });
    return out;
  }
  async listMembers() {
    return (await this.db.all('SELECT * FROM members ORDER BY email')).map(memberFromRow);
  }
  scanMembers(batchSize = SCAN_BATCH, which: 'all' | 'removed' = 'all') {
    const sql = which === 'removed'
      ? `SELECT ${this.memberColumns} FROM members WHERE deleted_at IS NOT NULL ORDER BY deleted_at, email`
      : `SELECT ${this.memberColumns} FROM members ORDER BY email`;
    return mapBatches(this.db.scan(sql, [], batchSize), memberScanner());
  }
  async memberFacts(emails: readonly string[], ids: readonly string[]) {
    const found = new Map<string, MemberFacts>();
    for (const [column, keys] of [['email', emails], ['id', ids]] as const) {
      await this.forEachOf(column, [...new Set(keys)], async (where, params) => {
        for (const r of await this.db.arrays(`SELECT ${MEMBER_FACT_COLUMNS} FROM members WHERE ${where}`, params)) {
          if (!found.has(r[0] as string)) found.set(r[0] as string, memberFactsFromArray(r));
        }
      });
    }
    return [...found.values()];
  }
  async liveMemberIds() {
    return (await this.db.arrays('SELECT id FROM members WHERE deleted_at IS NULL')).map((r) => r[0] as string);
  }
  async getMembers(ids: string[]) {
    const byId = new Map<string, Member>();
    const read = memberScanner(); // a prune reads every member it removes
    await this.forEachOf('id', [...new Set(ids)], async (where, params) => {
      for (const m of (await this.db.arrays(`SELECT ${this.memberColumns} FROM members WHERE ${where}`, params)).map(read)) byId.set(m.id, m);
    });
    return ids.flatMap((id) => byId.get(id) ?? []);
  }
  async countSeats() {
    const r = await this.first('SELECT COUNT(*) AS n FROM members WHERE deleted_at IS NULL');
    return Number(r?.n ?? 0);
  }
  async listDeletedBefore(cutoff: string) {
    return (await this.db.all('SELECT * FROM members WHERE deleted_at IS NOT NULL AND deleted_at < ? ORDER BY deleted_at, id', [cutoff])).map(memberFromRow);
  }
  async countWithRole(role: string) {
    const r = await this.first('SELECT COUNT(*) AS n FROM members WHERE role = ?', [role]);
    return Number(r?.n ?? 0);
  }
  async listAdmins() {
    return (await this.db.all("SELECT * FROM members WHERE role = 'admin' AND deleted_at IS NULL AND suspended_at IS NULL AND registered = 1")).map(memberFromRow);
  }
  async insertMembers(members: Member[]) {
    await this.db.insertRows('members', MEMBER_COLUMNS, mapped(members, memberValues));
  }
  async updateMembers(members: Member[]) {
    await this.db.upsertRows('members', MEMBER_COLUMNS, ['id'], members.map(memberValues));
  }
  async deleteMembers(ids: string[]) {
    for (const table of ['credentials', 'password_history', 'sessions', 'tokens', 'invites', 'group_members', 'login_codes']) {
      await this.forEachOf('member_id', ids, (where, params) => this.db.run(`DELETE FROM ${table} WHERE ${where}`, params));
    }
    await this.forEachOf('id', ids, (where, params) => this.db.run(`DELETE FROM members WHERE ${where}`, params));
  }

  getCredentials(memberId: string) {
    return this.one('SELECT * FROM credentials WHERE member_id = ?', [memberId], credentialsFromRow);
  }
  async saveCredentials(creds: Credentials[]) {
    await this.db.upsertRows('credentials', CREDENTIAL_COLUMNS, ['member_id'], creds.map((c) => [
      c.memberId, c.passwordHash, c.passwordSetAt, c.tempHash, c.tempIssuedAt, c.failedLogins,
    ]));
  }
  async passwordHistory(memberId: string, limit: number) {
    // n, not set_at: several changes may share one instant (a fixed ROLLCALL_NOW), and order must hold.
    const rows = await this.db.all('SELECT hash FROM password_history WHERE member_id = ? ORDER BY n DESC LIMIT ?', [memberId, limit]);
    return rows.map((r) => r.hash as string);
  }
  async addPasswordHistory(memberId: string, hash: string, at: string) {
    await this.db.run('INSERT INTO password_history (member_id, n, hash, set_at) SELECT ?, COALESCE(MAX(n), 0) + 1, ?, ? FROM password_history WHERE member_id = ?', [memberId, hash, at, memberId]);
  }

  async insertSession(s: SessionRecord) {
    await this.db.run('INSERT INTO sessions (hash, member_id, created_at, expires_at) VALUES (?, ?, ?, ?)', [s.hash, s.memberId, s.createdAt, s.expiresAt]);
  }
  getSession(hash: string) {
    return this.one('SELECT * FROM sessions WHERE hash = ?', [hash], sessionFromRow);
  }
  async deleteSession(hash: string) {
    await this.db.run('DELETE FROM sessions WHERE hash = ?', [hash]);
  }
  async deleteSessionsOf(memberIds: string[]) {
    await this.forEachOf('member_id', memberIds, (where, params) => this.db.run(`DELETE FROM sessions WHERE ${where}`, params));
  }
  async insertToken(t: TokenRecord) {
    await this.db.run('INSERT INTO tokens (id, name, member_id, hash, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [t.id, t.name, t.memberId, t.hash, t.createdAt, t.expiresAt, t.revokedAt]);
  }
  getTokenByHash(hash: string) {
    return this.one('SELECT * FROM tokens WHERE hash = ?', [hash], tokenFromRow);
  }
  async listTokens() {
    return (await this.db.all('SELECT * FROM tokens ORDER BY created_at, id')).map(tokenFromRow);
  }
  async revokeTokens(ids: string[], at: string) {
    await this.forEachOf('id', ids, (where, params) => this.db.run(`UPDATE tokens SET revoked_at = ? WHERE revoked_at IS NULL AND ${where}`, [at, ...params]));
  }
  async revokeTokensOf(memberIds: string[], at: string) {
    await this.forEachOf('member_id', memberIds, (where, params) => this.db.run(`UPDATE tokens SET revoked_at = ? WHERE revoked_at IS NULL AND ${where}`, [at, ...params]));
  }

  async insertInvite(i: InviteRecord) {
    await this.db.run('INSERT INTO invites (id, member_id, hash, created_at, expires_at, used_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [i.id, i.memberId, i.hash, i.createdAt, i.expiresAt, i.usedAt, i.revokedAt]);
  }
  getInviteByHash(hash: string) {
    return this.one('SELECT * FROM invites WHERE hash = ?', [hash], inviteFromRow);
  }
  async listInvites() {
    return (await this.db.all('SELECT * FROM invites ORDER BY created_at, id')).map(inviteFromRow);
  }
  async updateInvite(i: InviteRecord) {
    await this.db.run('UPDATE invites SET used_at = ?, revoked_at = ? WHERE id = ?', [i.usedAt, i.revokedAt, i.id]);
  }

  async listOrgs() {
    return (await this.db.all('SELECT * FROM orgs ORDER BY name, id')).map(orgFromRow);
  }
  async insertOrgs(orgs: Org[]) {
    await this.db.insertRows('orgs', ['id', 'parent_id', 'name', 'created_at'], orgs.map((o) => [o.id, o.parentId ?? '', o.name, o.createdAt]));
  }
  async updateOrg(o: Org) {
    await this.db.run('UPDATE orgs SET parent_id = ?, name = ? WHERE id = ?', [o.parentId ?? '', o.name, o.id]);
  }
  async deleteOrgs(ids: string[]) {
    await this.forEachOf('id', ids, (where, params) => this.db.run(`DELETE FROM orgs WHERE ${where}`, params));
  }
  async listCustomRoles() {
    return (await this.db.all('SELECT * FROM roles ORDER BY name')).map(roleFromRow);
  }
  async insertCustomRole(r: CustomRole) {
    await this.db.run('INSERT INTO roles (name, permissions, created_at) VALUES (?, ?, ?)', [r.name, JSON.stringify(r.permissions), r.createdAt]);
  }
  async deleteCustomRole(name: string) {
    await this.db.run('DELETE FROM roles WHERE name = ?', [name]);
  }
  async listGroups() {
    return (await this.db.all('SELECT * FROM workgroups ORDER BY name')).map(groupFromRow);
  }
  async insertGroup(g: Group) {
    await this.db.run('INSERT INTO workgroups (id, name, description, internal_only, suspended, owner_id, created_at, updated_at, external_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [g.id, g.name, g.description, g.internalOnly ? 1 : 0, g.suspended ? 1 : 0, g.ownerId, g.createdAt, g.updatedAt, g.externalId]);
  }
  async updateGroup(g: Group) {
    await this.db.run('UPDATE workgroups SET name = ?, description = ?, internal_only = ?, suspended = ?, owner_id = ?, updated_at = ?, external_id = ? WHERE id = ?',
      [g.name, g.description, g.internalOnly ? 1 : 0, g.suspended ? 1 : 0, g.ownerId, g.updatedAt, g.externalId, g.id]);
  }
  async deleteGroup(id: string) {
    await this.db.run('DELETE FROM group_members WHERE group_id = ?', [id]);
    await this.db.run('DELETE FROM workgroups WHERE id = ?', [id]);
  }
  async listGroupMemberships(filter: { groupId?: string; memberId?: string }) {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.groupId) { where.push('group_id = ?'); params.push(filter.groupId); }
    if (filter.memberId) { where.push('member_id = ?'); params.push(filter.memberId); }
    const sql = `SELECT * FROM group_members${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY group_id, member_id`;
    return (await this.db.all(sql, params)).map(membershipFromRow);
  }
  async saveGroupMemberships(rows: GroupMembership[]) {
    await this.db.upsertRows('group_members', ['group_id', 'member_id', 'role'], ['group_id', 'member_id'], rows.map((r) => [r.groupId, r.memberId, r.role]));
  }
  async deleteGroupMemberships(rows: Array<{ groupId: string; memberId: string }>) {
    for (const c of chunks(rows, IN_CHUNK)) {
      const pairs = c.map(() => '(group_id = ? AND member_id = ?)').join(' OR ');
      await this.db.run(`DELETE FROM group_members WHERE ${pairs}`, c.flatMap((r) => [r.groupId, r.memberId]));
    }
  }

  async addPurged(rows: PurgedEmail[]) {
    await this.db.upsertRows('purged', ['email', 'member_id', 'deleted_at', 'purged_at'], ['email'], rows.map((p) => [p.email, p.memberId, p.deletedAt, p.purgedAt]));
  }
  async getPurged(emailOrId: string) {
    const r = await this.first('SELECT * FROM purged WHERE email = ? OR member_id = ? ORDER BY purged_at DESC, email', [emailOrId, emailOrId]);
    return r ? { email: r.email, memberId: r.member_id, deletedAt: r.deleted_at ?? null, purgedAt: r.purged_at } : null;
  }

  auditHead() {
    return this.audit.head();
  }
  appendAudit(rows: Iterable<AuditRecord>) {
    return this.audit.append(rows);
  }
  listAudit(f: AuditFilter) {
    return this.audit.list(f);
  }
  scanAuditList(f: AuditFilter, batchSize = SCAN_BATCH) {
    return this.audit.listBatches(f, batchSize);
  }
  auditPage(afterSeq: number, limit: number) {
    return this.audit.page(afterSeq, limit);
  }
  scanAudit(afterSeq: number, batchSize = SCAN_BATCH) {
    return this.audit.scan(afterSeq, batchSize);
  }

  dumpTable(table: TableName, after: unknown, limit: number) {
    return dumpTable(this.db, table, after, limit);
  }
  loadTable(table: TableName, rows: Record<string, unknown>[]) {
    return loadTable(this.db, table, rows);
  }
}
