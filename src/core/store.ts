// The persistence port the core needs, in domain words; the core owns it, and src/store/sqlite and
// src/store/postgres implement it.
// Every method is async so that a networked backend fits; bulk work goes through the batch methods.
import type {
  AuditRecord, Credentials, CustomRole, Group, GroupMembership, InviteRecord, LoginCode, Member, Org,
  SessionRecord, TokenRecord,
} from './model.js';

/**
 * A table of the workspace schema: what whole-workspace copies move, row for row. The audit log is
 * three: compact entries (audit), their batches (audit_batches), entries from before schema version 4 (audit_v1).
 */
export type TableName =
  | 'meta' | 'domains' | 'orgs' | 'roles' | 'members' | 'credentials' | 'password_history' | 'sessions' | 'tokens'
  | 'invites' | 'workgroups' | 'group_members' | 'purged' | 'audit_v1' | 'audit' | 'audit_batches' | 'chain_head' | 'login_codes';

export interface AuditFilter {
  since?: string;
  /** Entries by this actor; null: by none, what the system does by itself (automatic purge, lockout). */
  actor?: string | null;
  /** Entries with exactly this target. */
  target?: string;
  /**
   * Entries about this email or group name: those with it as their target, and group membership
   * events (`membershipActions`) whose before or after names it as `group` or `member` (entries
   * recorded before membership events targeted the member named it under `member`).
   */
  involving?: { name: string; membershipActions: readonly string[] };
  action?: string;
  /** Entries with any of these actions. */
  actions?: readonly string[];
  batch?: string;
  limit?: number;
}

export interface PurgedEmail {
  email: string;
  memberId: string;
  deletedAt: string | null;
  purgedAt: string;
}

/**
 * What a roster plan compares of a stored member, as one plain array: reading 100,000 members as
 * whole records costs an object each, and most of them change nothing. Indexes: MemberFact.
 */
export type MemberFacts = [
  id: string, email: string, name: string, title: string | null, orgId: string | null, orgIds: string[],
  role: string, scope: string[], startDate: string | null, suspendedAt: string | null, deletedAt: string | null, twoFactor: boolean,
];
export const MemberFact = {
  id: 0, email: 1, name: 2, title: 3, orgId: 4, orgIds: 5, role: 6, scope: 7, startDate: 8, suspendedAt: 9, deletedAt: 10, twoFactor: 11,
} as const;

/** What one transaction can read and write. Obtained only through Store.read / Store.write. */
export interface Tx {
  // settings and domains
  getMeta(): Promise<Record<string, string>>;
  setMeta(key: string, value: string): Promise<void>;
  listDomains(): Promise<string[]>;
  addDomain(domain: string, at: string): Promise<void>;
  removeDomain(domain: string): Promise<void>;

  // members
  getMember(id: string): Promise<Member | null>;
  getMemberByEmail(email: string): Promise<Member | null>;
  getMembersByEmails(emails: string[]): Promise<Member[]>;
  /** Members (removed ones included) that the provisioning client knows by this externalId, by email. */
  getMembersByExternalId(externalId: string): Promise<Member[]>;
  listMembers(): Promise<Member[]>;
  /**
   * Every member, as listMembers orders them, read a batch at a time as the caller consumes them:
   * for whole-directory reads (export, member list) that need not hold every member at once. Run
   * no other Tx method until the scan ends or is left (`break`); the store may still be stepping it.
   * `removed`: only the removed members, by the time of their removal, then as listMembers orders
   * them (`member list --status deleted`, soonest purged first).
   */
  scanMembers(batchSize?: number, which?: 'all' | 'removed'): AsyncIterable<Member[]>;
  /**
   * The MemberFacts of the members (restorable ones included) whose address is among `emails` or
   * whose id is among `ids`, each once, in no particular order: a roster is planned a slice of rows
   * at a time, so a plan never holds every member's facts at once.
   */
  memberFacts(emails: readonly string[], ids: readonly string[]): Promise<MemberFacts[]>;
  /** The ids of the members not removed (what a prune may remove), in no particular order. */
  liveMemberIds(): Promise<string[]>;
  /** Members by id, in the order asked; ids no member has are left out. Read in batches. */
  getMembers(ids: string[]): Promise<Member[]>;
  countSeats(): Promise<number>;
  /** Removed members whose deletedAt is before the cutoff: those past their restore window. */
  listDeletedBefore(cutoff: string): Promise<Member[]>;
  /** Members with this role, restorable ones included. */
  countWithRole(role: string): Promise<number>;
  /** Members who may be active admins: role admin, registered, not suspended or removed (a start date ahead, pending, is checked by the core). */
  listAdmins(): Promise<Member[]>;
  insertMembers(members: Member[]): Promise<void>;
  updateMembers(members: Member[]): Promise<void>;
  /** Purge for good: the member and everything that hangs off it (sign-in codes too). */
  deleteMembers(ids: string[]): Promise<void>;

  // credentials
  getCredentials(memberId: string): Promise<Credentials | null>;
  saveCredentials(creds: Credentials[]): Promise<void>;
  passwordHistory(memberId: string, limit: number): Promise<string[]>;
  addPasswordHistory(memberId: string, hash: string, at: string): Promise<void>;

  // sessions and tokens
  insertSession(s: SessionRecord): Promise<void>;
  getSession(hash: string): Promise<SessionRecord | null>;
  deleteSession(hash: string): Promise<void>;
  deleteSessionsOf(memberIds: string[]): Promise<void>;
  insertToken(t: TokenRecord): Promise<void>;
  getTokenByHash(hash: string): Promise<TokenRecord | null>;
  listTokens(): Promise<TokenRecord[]>;
  revokeTokens(ids: string[], at: string): Promise<void>;
  revokeTokensOf(memberIds: string[], at: string): Promise<void>;

  // sign-in codes (two-step sign-in): at most one per member
  /** Stores the member's code, replacing (superseding) any code it had. */
  saveLoginCode(code: LoginCode): Promise<void>;
  getLoginCode(memberId: string): Promise<LoginCode | null>;
  deleteLoginCode(memberId: string): Promise<void>;

  // invitations
  insertInvite(i: InviteRecord): Promise<void>;
  getInviteByHash(hash: string): Promise<InviteRecord | null>;
  listInvites(): Promise<InviteRecord[]>;
  updateInvite(i: InviteRecord): Promise<void>;

  // org chart, roles, groups
  listOrgs(): Promise<Org[]>;
  insertOrgs(orgs: Org[]): Promise<void>;
  updateOrg(org: Org): Promise<void>;
  deleteOrgs(ids: string[]): Promise<void>;
  listCustomRoles(): Promise<CustomRole[]>;
  insertCustomRole(role: CustomRole): Promise<void>;
  deleteCustomRole(name: string): Promise<void>;
  listGroups(): Promise<Group[]>;
  insertGroup(g: Group): Promise<void>;
  updateGroup(g: Group): Promise<void>;
  deleteGroup(id: string): Promise<void>;
  listGroupMemberships(filter: { groupId?: string; memberId?: string }): Promise<GroupMembership[]>;
  saveGroupMemberships(rows: GroupMembership[]): Promise<void>;
  deleteGroupMemberships(rows: Array<{ groupId: string; memberId: string }>): Promise<void>;

  // purged-email memory
  addPurged(rows: PurgedEmail[]): Promise<void>;
  /** What is remembered of a purged member, by its email or its id. */
  getPurged(emailOrId: string): Promise<PurgedEmail | null>;

  // audit chain
  auditHead(): Promise<{ seq: number; hash: string }>;
  /** Appends chained records (in seq order, taken one at a time: a generator may make them as they go) and moves the head to the last. */
  appendAudit(rows: Iterable<AuditRecord>): Promise<void>;
  listAudit(filter: AuditFilter): Promise<AuditRecord[]>;
  /** listAudit, a batch at a time as consumed (audit list); no other Tx call meanwhile, as scanMembers. */
  scanAuditList(filter: AuditFilter, batchSize?: number): AsyncIterable<AuditRecord[]>;
  /** The whole chain, oldest first, in pages, for verification and copies. */
  auditPage(afterSeq: number, limit: number): Promise<AuditRecord[]>;
  /** The chain after a seq, oldest first, a batch at a time as consumed (verification); no other Tx call meanwhile, as scanMembers. */
  scanAudit(afterSeq: number, batchSize?: number): AsyncIterable<AuditRecord[]>;

  // Raw table access, for whole-workspace copies (src/store/copy.ts: `workspace copy`, `backup`) ONLY.
  // Rows are column-name records exactly as stored; no rule of the core applies to them.
  /**
   * One page of a table's rows in a stable order. Pass `next` back as `after` for the following
   * page (null for the first); `next` is null after the last page. The cursor is opaque.
   */
  dumpTable(table: TableName, after: unknown, limit: number): Promise<{ rows: Record<string, unknown>[]; next: unknown }>;
  /** Writes rows as dumpTable returned them; `meta` and `chain_head` rows replace those with the same key. */
  loadTable(table: TableName, rows: Record<string, unknown>[]): Promise<void>;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** A display name for messages and the session key: the file path, or the URL without a password. */
  readonly location: string;
  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** One write transaction; writers are serialised (SQLite BEGIN IMMEDIATE, PostgreSQL a row lock). */
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** A consistent SQLite copy of the whole workspace at DEST. */
  backup(dest: string): Promise<void>;
  /**
   * Copies every table, row for row, into `to`, which must be an empty workspace (ALREADY_EXISTS
   * otherwise): one consistent read here, one write transaction there.
   */
  copyInto(to: Store): Promise<void>;
  /**
   * Closes the store and removes the workspace that opening it with `create` made, for a command
   * that could not finish (init); a workspace it did not create is only closed.
   */
  discard(): Promise<void>;
  close(): Promise<void>;
  /**
   * Why this process lacks direct access to the workspace as its owner, or null when it has it: the
   * owner of the SQLite file (or root), or a PostgreSQL role owning the workspace's tables. The
   * break-glass `recover` needs this instead of a session.
   */
  ownerAccessProblem(): Promise<string | null>;
}
