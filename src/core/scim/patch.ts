// SCIM PATCH (RFC 7644 §3.5.2) as the server takes it: the operations are applied by scim-patch to the
// resource as the server shows it, and the use cases then read what changed (users.ts, groups.ts)
// through the same mapping as a PUT. What real providers send is accepted here first: Entra's
// capitalised ops ("Replace", "Add"), operations without a path (a value object, whose keys may be
// dotted or an extension's URN), `members[value eq "…"]` paths, and a remove of members by value.
import { scimPatch, ScimError, type ScimPatchOperation } from 'scim-patch';
import { SCIM_PATCH, isObject, schemasOf, type Json } from '../roster/formats/scim-user.js';
import { scimFail, type ScimType } from './refusal.js';

const OPS = ['add', 'replace', 'remove'] as const;

/** The operations of a PatchOp body, their `op` in lower case; invalidSyntax for anything else. */
export function patchOperations(body: unknown): ScimPatchOperation[] {
  if (!isObject(body) || !Array.isArray(body.Operations) || !body.Operations.length) {
    scimFail('invalidSyntax', 'a PATCH carries a PatchOp: { "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{ "op", "path", "value" }] }');
  }
  const schemas = schemasOf(body);
  if (schemas.length && !schemas.includes(SCIM_PATCH)) scimFail('invalidSyntax', `a PATCH's schemas are ["${SCIM_PATCH}"]: got ${JSON.stringify(body.schemas)}`);
  return body.Operations.map((o: unknown, i: number) => {
    if (!isObject(o)) scimFail('invalidSyntax', `Operations[${i}] is not an operation (an object with op, path and value)`);
    const op = typeof o.op === 'string' ? o.op.trim().toLowerCase() : '';
    if (!(OPS as readonly string[]).includes(op)) scimFail('invalidSyntax', `Operations[${i}]: op ${JSON.stringify(o.op ?? null)} is not one of add, replace, remove`);
    const path = typeof o.path === 'string' && o.path.trim() ? o.path.trim() : undefined;
    if (o.path !== undefined && o.path !== null && typeof o.path !== 'string') scimFail('invalidPath', `Operations[${i}]: path is text, not ${JSON.stringify(o.path)}`);
    if (op === 'remove' && !path) scimFail('noTarget', `Operations[${i}]: a remove names what it removes in "path"`);
    if (op !== 'remove' && !path && !isObject(o.value)) scimFail('invalidValue', `Operations[${i}]: an ${op} without a path carries an object of attributes in "value"`);
    if (op !== 'remove' && o.value === undefined) scimFail('invalidValue', `Operations[${i}]: an ${op} carries a "value"`);
    return { op, ...(path ? { path } : {}), ...(o.value !== undefined ? { value: o.value } : {}) } as ScimPatchOperation;
  });
}

/** A resource after the operations, each applied in order; the library's refusals keep their scimType. */
export function applyPatch<T extends Json>(resource: T, ops: readonly ScimPatchOperation[]): T {
  try {
    // scim-patch changes what it is given: a copy, so that the caller still holds the resource as it was.
    return scimPatch(structuredClone(resource) as never, [...ops], { treatMissingAsAdd: true }) as T;
  } catch (e) {
    if (e instanceof ScimError) scimFail(((e as ScimError).scimCode as ScimType | undefined) ?? 'invalidValue', `the PATCH cannot be applied: ${(e as Error).message}`);
    throw e;
  }
}
