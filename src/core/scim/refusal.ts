// How the SCIM use cases refuse a request whose SCIM shape is wrong: INVALID_INPUT (or another code of
// SPEC §10) carrying the RFC 7644 §3.12 `scimType` the server answers with. Rule refusals from the
// rest of the core keep their own codes; the server's table (src/server/scim/errors.ts) maps those.
import { RollcallError, type ErrorCode } from '../errors.js';

export type ScimType =
  | 'invalidFilter' | 'tooMany' | 'uniqueness' | 'mutability' | 'invalidSyntax' | 'invalidPath' | 'noTarget'
  | 'invalidValue' | 'invalidVers' | 'sensitive';

export function scimRefusal(scimType: ScimType, message: string, hint?: string, code: ErrorCode = 'INVALID_INPUT'): RollcallError {
  return new RollcallError(code, message, hint, undefined, { scimType });
}

export function scimFail(scimType: ScimType, message: string, hint?: string, code?: ErrorCode): never {
  throw scimRefusal(scimType, message, hint, code);
}

/** The scimType a refusal carries, if the SCIM use cases gave it one. */
export function scimTypeOf(e: RollcallError): ScimType | undefined {
  const t = e.details?.scimType;
  return typeof t === 'string' ? (t as ScimType) : undefined;
}
