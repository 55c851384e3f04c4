// Errors are values with a stable code from SPEC §10; only the CLI turns them into exit statuses.
export const EXIT_CODES = {
  SEAT_LIMIT_REACHED: 1, LAST_ADMIN: 1, OWNER_PROTECTED: 1, TARGET_NOT_GROUP_ADMIN: 1,
  ORG_NOT_EMPTY: 1, ORG_IN_USE: 1, ORG_CYCLE: 1, RESTORE_WINDOW_EXPIRED: 1, PASSWORD_POLICY: 1,
  PASSWORD_REUSED: 1, RESERVED_PERMISSION: 1, EXTERNAL_NOT_ALLOWED: 1, DOMAIN_IN_USE: 1,
  ROLE_IN_USE: 1, REMOVAL_LIMIT: 1, INVALID_STATE: 1,
  USAGE: 2, INVALID_INPUT: 2, ROSTER_INVALID: 2,
  NOT_FOUND: 3,
  NOT_AUTHENTICATED: 4, INVALID_CREDENTIALS: 4, PERMISSION_DENIED: 4, ACCOUNT_SUSPENDED: 4,
  ACCOUNT_PENDING: 4, PASSWORD_CHANGE_REQUIRED: 4, PASSWORD_EXPIRED: 4, REGISTRATION_EXPIRED: 4,
  INVITE_INVALID: 4, INVITE_EXPIRED: 4, INVITE_USED: 4, TOKEN_EXPIRED: 4, SECOND_FACTOR_REQUIRED: 4,
  ALREADY_EXISTS: 5, STALE_PLAN: 5, BUSY: 5,
  WORKSPACE_NOT_FOUND: 6, WORKSPACE_TOO_NEW: 6, WORKSPACE_CORRUPT: 6, WORKSPACE_UNAVAILABLE: 6, MAIL_UNAVAILABLE: 6,
  INTERNAL: 70,
} as const;

export type ErrorCode = keyof typeof EXIT_CODES;

export class RollcallError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  /**
   * The input at fault, in domain words (`reason`, `scope`, `expiresIn`…): the core never names a
   * command-line flag; an adapter translates the field into its own terms (a flag, a roster column).
   */
  readonly field?: InputField;
  /** Data beside the message for machine readers (a roster's `problems`): JSON output carries it. */
  readonly details?: Readonly<Record<string, unknown>>;
  constructor(code: ErrorCode, message: string, hint?: string, field?: InputField, details?: Readonly<Record<string, unknown>>) {
    super(message);
    this.name = 'RollcallError';
    this.code = code;
    this.hint = hint;
    this.field = field;
    this.details = details;
  }
  get exitCode(): number {
    return EXIT_CODES[this.code];
  }
}

/** Inputs an error can point at, for adapters to translate (the CLI into flags). */
export type InputField = 'reason' | 'expiresIn' | 'defaultRole' | 'maxRemovals' | 'scope' | 'kind' | 'name' | 'posts' | 'since' | 'head' | 'allowEmpty' | 'format' | 'createOrgs' | 'encoding' | 'skipExpired' | 'action';

export function fail(code: ErrorCode, message: string, hint?: string, field?: InputField): never {
  throw new RollcallError(code, message, hint, field);
}

/** How many culprits a message names. */
export const NAMED = 10;

/**
 * Lists at most `max` names, then how many more, for messages that name the culprits. `total`: how
 * many there are, when only the first few names were read.
 */
export function nameSome(names: readonly string[], max = NAMED, total = names.length): string {
  const shown = names.slice(0, max).join(', ');
  return total > max ? `${shown} and ${total - max} more` : shown;
}
