// The Tx interface over any SqlDriver: all of rollcall's SQL, once, for both backends.
import type {
  AuditRecord, Credentials, CustomRole, Group, GroupMembership, InviteRecord, Member, Org,
  SessionRecord, TokenRecord,
} from '../../core/model.js';
import type { AuditFilter, PurgedEmail, TableName, Tx } from '../../core/store.js';
import {
  MEMBER_COLUMNS, MEMBER_FACT_COLUMNS, credentialsFromRow, groupFromRow, inviteFromRow, memberFactsFromArray, memberFromRow,
  memberFromValues, memberValues, membershipFromRow, orgFromRow, roleFromRow, sessionFromRow, tokenFromRow,
} from './rows.js';
import { AuditSql } from './audit.js';
import { layoutOf, type Layout } from './layout.js';
import { SCAN_BATCH, chunks, mapBatches, mapped, placeholders, type SqlDriver } from './driver.js';
import { REPLACED_ON_LOAD, TABLE_ORDER, type DumpCursor } from './tables.js';

const CREDENTIAL_COLUMNS = ['member_id', 'password_hash', 'password_set_at', 'temp_hash', 'temp_issued_at', 'failed_logins'];
const IN_CHUNK = 500;

/** The layout of a workspace at this program's schema version. */
export const CURRENT_LAYOUT: Layout = layoutOf(Number.MAX_SAFE_INTEGER);

export class SqlTx implements Tx {
  private readonly audit: AuditSql;
  /** `layout`: that of the workspace's schema version (an older one only when it is read as it is). */
  constructor(private readonly db: SqlDriver, layout: Layout = CURRENT_LAYOUT) {
    this.audit = new AuditSql(db, layout);
  }

  private async first(sql: string, params: unknown[] = []) {
    return (await this.db.all(sql, params))[0] ?? null;
  }
  private one<T>(sql: string, params: unknown[], of: (r: Record<string, any>) => T): Promise<T | null> {
    return this.first(sql, params).then((r) => (r ? of(r) : null));
  }

  private async forEachChunk(ids: readonly string[], fn: (chunk: string[]) => Promise<void>) {
    for (const chunk of chunks(ids, IN_CHUNK)) await fn(chunk);
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
  getMemberByEmail(email: string) {
    return this.one('SELECT * FROM members WHERE email = ?', [email], memberFromRow);
  }
  async getMembersByEmails(emails: string[]) {
    const out: Member[] = [];
    // Each member once, however often its email is asked for (chunks would otherwise repeat it).
    await this.forEachChunk([...new Set(emails)], async (c) => {
      for (const r of await this.db.all(`SELECT * FROM members WHERE email IN ${placeholders(c.length)}`, c)) out.push(memberFromRow(r));
    });
    return out;
  }
  async listMembers() {
    return (await this.db.all('SELECT * FROM members ORDER BY email')).map(memberFromRow);
  }
  scanMembers(batchSize = SCAN_BATCH) {
    return mapBatches(this.db.scan(`SELECT ${MEMBER_COLUMNS.join(', ')} FROM members ORDER BY email`, [], batchSize), memberFromValues);
  }
  async listMemberFacts() {
    return (await this.db.arrays(`SELECT ${MEMBER_FACT_COLUMNS} FROM members ORDER BY email`)).map(memberFactsFromArray);
  }
  async getMembers(ids: string[]) {
    const byId = new Map<string, Member>();
    await this.forEachChunk([...new Set(ids)], async (c) => {
      for (const r of await this.db.all(`SELECT * FROM members WHERE id IN ${placeholders(c.length)}`, c)) byId.set(r.id, memberFromRow(r));
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
    await this.forEachChunk(ids, async (c) => {
      const list = placeholders(c.length);
      for (const table of ['credentials', 'password_history', 'sessions', 'tokens', 'invites', 'group_members']) {
        await this.db.run(`DELETE FROM ${table} WHERE member_id IN ${list}`, c);
      }
      await this.db.run(`DELETE FROM members WHERE id IN ${list}`, c);
    });
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
    await this.forEachChunk(memberIds, (c) => this.db.run(`DELETE FROM sessions WHERE member_id IN ${placeholders(c.length)}`, c));
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
    await this.forEachChunk(ids, (c) => this.db.run(`UPDATE tokens SET revoked_at = ? WHERE revoked_at IS NULL AND id IN ${placeholders(c.length)}`, [at, ...c]));
  }
  async revokeTokensOf(memberIds: string[], at: string) {
    await this.forEachChunk(memberIds, (c) => this.db.run(`UPDATE tokens SET revoked_at = ? WHERE revoked_at IS NULL AND member_id IN ${placeholders(c.length)}`, [at, ...c]));
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
    await this.forEachChunk(ids, (c) => this.db.run(`DELETE FROM orgs WHERE id IN ${placeholders(c.length)}`, c));
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
    await this.db.run('INSERT INTO workgroups (id, name, description, internal_only, suspended, owner_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [g.id, g.name, g.description, g.internalOnly ? 1 : 0, g.suspended ? 1 : 0, g.ownerId, g.createdAt, g.updatedAt]);
  }
  async updateGroup(g: Group) {
    await this.db.run('UPDATE workgroups SET name = ?, description = ?, internal_only = ?, suspended = ?, owner_id = ?, updated_at = ? WHERE id = ?',
      [g.name, g.description, g.internalOnly ? 1 : 0, g.suspended ? 1 : 0, g.ownerId, g.updatedAt, g.id]);
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
  auditPage(afterSeq: number, limit: number) {
    return this.audit.page(afterSeq, limit);
  }
  scanAudit(afterSeq: number, batchSize = SCAN_BATCH) {
    return this.audit.scan(afterSeq, batchSize);
  }

  // Keyset pages with `>=` and a count of rows already emitted at the last key: correct even for
  // password_history, whose identical rows a plain `>` would drop. Both backends compare row values
  // with the same ordering their ORDER BY uses, so pages neither skip nor repeat rows.
  async dumpTable(table: TableName, after: unknown, limit: number) {
    const order = TABLE_ORDER[table];
    if (!order) throw new Error(`dumpTable: unknown table ${table}`);
    const cursor = after as DumpCursor | null;
    const cols = order.join(', ');
    const params: unknown[] = [];
    let sql = `SELECT * FROM ${table}`;
    if (cursor) {
      sql += ` WHERE (${cols}) >= (${order.map(() => '?').join(', ')})`;
      params.push(...cursor.key);
    }
    sql += ` ORDER BY ${cols} LIMIT ?`;
    params.push(limit + (cursor?.seen ?? 0));
    const rows = (await this.db.all(sql, params)).slice(cursor?.seen ?? 0);
    if (rows.length < limit) return { rows, next: null };
    const keyOf = (r: Record<string, unknown>) => order.map((c) => r[c]);
    const same = (a: unknown[], b: unknown[]) => a.every((v, i) => v === b[i]);
    const last = keyOf(rows[rows.length - 1]);
    let seen = 0;
    for (let i = rows.length - 1; i >= 0 && same(keyOf(rows[i]), last); i--) seen++;
    // A page made only of ties with the previous page's last key: those count too.
    if (cursor && same(cursor.key, last)) seen += cursor.seen;
    const next: DumpCursor = { key: last, seen };
    return { rows, next };
  }
  async loadTable(table: TableName, rows: Record<string, unknown>[]) {
    if (!rows.length) return;
    if (!TABLE_ORDER[table]) throw new Error(`loadTable: unknown table ${table}`);
    const columns = Object.keys(rows[0]);
    // Names go into SQL text: only plain column names, never anything a row could smuggle in.
    const bad = columns.find((c) => !/^[a-z_][a-z0-9_]*$/.test(c));
    if (bad !== undefined) throw new Error(`loadTable: bad column name ${JSON.stringify(bad)}`);
    const values = rows.map((r) => columns.map((c) => r[c] ?? null));
    const key = REPLACED_ON_LOAD[table];
    if (key) await this.db.upsertRows(table, columns, key, values);
    else await this.db.insertRows(table, columns, values);
  }
}
