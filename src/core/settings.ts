// Workspace settings and email domains (SPEC §1).
import { requirePermission, requirePermissionSomewhere } from './access/grants.js';
import { domainOf, parseDomain } from './email.js';
import { fail, nameSome } from './errors.js';
import { checkName } from './text.js';
import { redactSmtpUrl, setMailSetting } from './mail/settings.js';
import type { WorkspaceSettings } from './model.js';
import type { UnitOfWork } from './unit-of-work.js';

export const DEFAULT_SEAT_LIMIT = 100;

export async function readSettings(s: UnitOfWork): Promise<WorkspaceSettings> {
  const meta = await s.tx.getMeta();
  return {
    id: meta.workspace_id ?? '',
    name: meta.name ?? '',
    seatLimit: Number(meta.seat_limit ?? DEFAULT_SEAT_LIMIT),
    allowExternal: meta.allow_external === 'true',
  };
}

/**
 * The id stored inside the workspace (SPEC §14; given by the schema migrations): a copy of the
 * workspace, wherever it lives, has the same one; another workspace has its own.
 */
export async function workspaceId(s: UnitOfWork): Promise<string> {
  const { id } = await readSettings(s);
  if (!id) fail('WORKSPACE_CORRUPT', 'the workspace has no id', 'restore it from a backup');
  return id;
}

export interface WorkspaceView {
  id: string;
  name: string;
  domains: string[];
  seatLimit: number;
  seatsUsed: number;
  allowExternal: boolean;
  /** The workspace's own mail server (its password redacted) and sender, or null; the environment may override both. */
  smtpUrl: string | null;
  mailFrom: string | null;
}

export async function showWorkspace(s: UnitOfWork): Promise<WorkspaceView> {
  await requirePermissionSomewhere(s, 'settings.view');
  const settings = await readSettings(s);
  const meta = await s.tx.getMeta();
  return {
    id: settings.id, name: settings.name, domains: await s.tx.listDomains(), seatLimit: settings.seatLimit, seatsUsed: await s.tx.countSeats(),
    allowExternal: settings.allowExternal, smtpUrl: meta.smtp_url ? redactSmtpUrl(meta.smtp_url) : null, mailFrom: meta.mail_from || null,
  };
}

export function parseSeatLimit(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1) fail('INVALID_INPUT', `a seat limit is a whole number of at least 1: got "${text}"`);
  return n;
}

export function parseBoolean(text: string, what: string): boolean {
  const t = text.trim().toLowerCase();
  if (['true', 'yes', 'on', '1'].includes(t)) return true;
  if (['false', 'no', 'off', '0'].includes(t)) return false;
  fail('INVALID_INPUT', `${what} takes true or false: got "${text}"`);
}

export const SETTING_KEYS = ['name', 'seat-limit', 'allow-external', 'smtp-url', 'mail-from'] as const;

export async function setSetting(s: UnitOfWork, key: string, value: string): Promise<WorkspaceView> {
  await requirePermission(s, 'settings.edit');
  if (key === 'smtp-url' || key === 'mail-from') {
    const { before, after } = await setMailSetting(s, key, value); // the URL's password redacted
    s.record({ action: 'workspace.set', target: key, before: { [key]: before }, after: { [key]: after } });
    return showWorkspace(s);
  }
  const before = await readSettings(s);
  if (key === 'name') {
    const name = checkName(value, 'workspace name');
    await s.tx.setMeta('name', name);
  } else if (key === 'seat-limit') {
    const limit = parseSeatLimit(value);
    const used = await s.tx.countSeats();
    if (limit < used) fail('INVALID_INPUT', `the seat limit cannot be below the ${used} seats in use`, 'remove members first, or choose a limit of at least ' + used);
    await s.tx.setMeta('seat_limit', String(limit));
  } else if (key === 'allow-external') {
    await s.tx.setMeta('allow_external', String(parseBoolean(value, 'allow-external')));
  } else {
    fail('INVALID_INPUT', `unknown setting "${key}"`, `settings: ${SETTING_KEYS.join(', ')}`);
  }
  s.record({ action: 'workspace.set', target: key, before: { [key]: settingValue(before, key) }, after: { [key]: settingValue(await readSettings(s), key) } });
  return showWorkspace(s);
}

function settingValue(w: WorkspaceSettings, key: string): unknown {
  return key === 'name' ? w.name : key === 'seat-limit' ? w.seatLimit : w.allowExternal;
}

export async function listDomains(s: UnitOfWork): Promise<string[]> {
  await requirePermissionSomewhere(s, 'settings.view');
  return s.tx.listDomains();
}

export async function addDomain(s: UnitOfWork, raw: string): Promise<string[]> {
  await requirePermission(s, 'settings.edit');
  const domain = parseDomain(raw);
  if ((await s.tx.listDomains()).includes(domain)) fail('ALREADY_EXISTS', `the domain ${domain} is already the workspace's`);
  await s.tx.addDomain(domain, s.nowIso);
  s.record({ action: 'domain.add', target: domain });
  return s.tx.listDomains();
}

export async function removeDomain(s: UnitOfWork, raw: string): Promise<string[]> {
  await requirePermission(s, 'settings.edit');
  const domain = parseDomain(raw);
  const domains = await s.tx.listDomains();
  if (!domains.includes(domain)) fail('NOT_FOUND', `${domain} is not one of the workspace's domains`, 'list them with: rollcall domain list');
  if (domains.length === 1) fail('INVALID_STATE', `${domain} is the workspace's last domain and cannot be removed`, 'add another domain first: rollcall domain add DOMAIN');
  const users = (await s.tx.listMembers()).filter((m) => domainOf(m.email) === domain).map((m) => m.email);
  if (users.length) fail('DOMAIN_IN_USE', `${users.length} member(s) use ${domain}: ${nameSome(users)}`, 'change their addresses (rollcall member update X --email NEW) or purge them first');
  await s.tx.removeDomain(domain);
  s.record({ action: 'domain.rm', target: domain });
  return s.tx.listDomains();
}
