// Every refusal as a SCIM error response (RFC 7644 §3.12): one table from rollcall's error codes
// (SPEC §10) to an HTTP status and, where one fits, a scimType. A refusal from the SCIM use cases
// may carry its own scimType (an invalid filter, a PATCH path that names nothing); the status
// still comes from its code. The detail leads with the code, so that a provider's log names the rule.
import { RollcallError, type ErrorCode } from '../../core/errors.js';
import { scimTypeOf, type ScimType } from '../../core/scim/refusal.js';

export const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

type Answer = readonly [status: number, scimType?: ScimType];

const UNAUTHORIZED: Answer = [401];
const RULE: Answer = [409];
const CURRENT_STATE: Answer = [400, 'mutability'];
const BAD_VALUE: Answer = [400, 'invalidValue'];
const UNAVAILABLE: Answer = [503];

export const ERROR_ANSWERS: Readonly<Record<ErrorCode, Answer>> = {
  // refused by a rule: the change conflicts with the workspace as it is
  SEAT_LIMIT_REACHED: RULE, LAST_ADMIN: CURRENT_STATE, OWNER_PROTECTED: CURRENT_STATE, TARGET_NOT_GROUP_ADMIN: CURRENT_STATE,
  ORG_NOT_EMPTY: RULE, ORG_IN_USE: RULE, ORG_CYCLE: BAD_VALUE, RESTORE_WINDOW_EXPIRED: RULE, PASSWORD_POLICY: BAD_VALUE,
  PASSWORD_REUSED: BAD_VALUE, RESERVED_PERMISSION: BAD_VALUE, EXTERNAL_NOT_ALLOWED: BAD_VALUE, DOMAIN_IN_USE: RULE,
  ROLE_IN_USE: RULE, REMOVAL_LIMIT: RULE, INVALID_STATE: CURRENT_STATE,
  // the request
  USAGE: BAD_VALUE, INVALID_INPUT: BAD_VALUE, ROSTER_INVALID: BAD_VALUE,
  NOT_FOUND: [404],
  // who is acting
  NOT_AUTHENTICATED: UNAUTHORIZED, INVALID_CREDENTIALS: UNAUTHORIZED, TOKEN_EXPIRED: UNAUTHORIZED, ACCOUNT_SUSPENDED: UNAUTHORIZED,
  SECOND_FACTOR_REQUIRED: UNAUTHORIZED, MAIL_UNAVAILABLE: UNAVAILABLE,
  ACCOUNT_PENDING: UNAUTHORIZED, PASSWORD_CHANGE_REQUIRED: UNAUTHORIZED, PASSWORD_EXPIRED: UNAUTHORIZED, REGISTRATION_EXPIRED: UNAUTHORIZED,
  INVITE_INVALID: UNAUTHORIZED, INVITE_EXPIRED: UNAUTHORIZED, INVITE_USED: UNAUTHORIZED,
  PERMISSION_DENIED: [403],
  // conflicts
  ALREADY_EXISTS: [409, 'uniqueness'], STALE_PLAN: [412], BUSY: UNAVAILABLE,
  // the workspace itself
  WORKSPACE_NOT_FOUND: UNAVAILABLE, WORKSPACE_TOO_NEW: UNAVAILABLE, WORKSPACE_CORRUPT: UNAVAILABLE, WORKSPACE_UNAVAILABLE: UNAVAILABLE,
  INTERNAL: [500],
};

export interface ErrorResponse {
  status: number;
  code: ErrorCode;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/** A refusal (or a bug) as the response a provider gets. */
export function errorResponse(e: unknown): ErrorResponse {
  const err = e instanceof RollcallError ? e : new RollcallError('INTERNAL', `this is a bug in rollcall: ${(e as Error)?.message ?? String(e)}`);
  const [status, tableType] = ERROR_ANSWERS[err.code];
  const scimType = scimTypeOf(err) ?? tableType;
  // Who failed to sign in is not the caller's business: one answer for every token refusal.
  const detail = status === 401
    ? `${err.code}: the bearer token is missing, unknown, revoked or expired, or its member may not act now`
    : `${err.code}: ${err.message}${err.hint ? ` (${err.hint})` : ''}`;
  const headers: Record<string, string> = {};
  if (status === 401) headers['WWW-Authenticate'] = 'Bearer realm="rollcall"';
  if (status === 503) headers['Retry-After'] = '1';
  return { status, code: err.code, headers, body: { schemas: [SCIM_ERROR], status: String(status), ...(scimType ? { scimType } : {}), detail } };
}
