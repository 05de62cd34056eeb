// Checking the values of the JSON form of a trace, one kind of value per function. Each returns
// what is wrong in words, or the value in its canonical shape; traces/json-format.ts adds the
// place. The published schema (traces/schema.ts) states the same rules.
import type { Event, EventType, Fd, Result, SeededBugId } from '../model/index.js';
import { ERRNOS, EVENT_TYPES, isErrno, isSeededBugId } from '../model/index.js';
import type { ObjectRef, Violation } from '../properties/index.js';
import type { JsonValue } from './json-text.js';
import { canonicalEvent, isKnownInvariant, isObjectKind, KNOWN_INVARIANTS, OBJECT_KINDS, SEEDED_BUGS_LIST } from './vocabulary.js';
import { eventProblem, EVENT_FIELDS, isId } from './validate.js';

export type JsonObject = { readonly [key: string]: JsonValue };

/** What is wrong, in words. */
export class FormError extends Error {}
function fail(message: string): never {
  throw new FormError(message);
}

export const isObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The object's keys must be among `known`, and `required` must be there. */
export function keysOf(object: JsonObject, what: string, known: readonly string[], required: readonly string[] = known): void {
  const extra = Object.keys(object).find((key) => !known.includes(key));
  if (extra !== undefined) fail(`${what} has an unknown field ${JSON.stringify(extra)}; its fields are ${known.join(', ')}`);
  const missing = required.find((key) => !Object.prototype.hasOwnProperty.call(object, key));
  if (missing !== undefined) fail(`${what} lacks the field "${missing}"; add it (fields: ${known.join(', ')})`);
}

export function eventOf(value: JsonValue | undefined): Event {
  // A misspelt field is named as such, before it is missed as an absent one.
  if (isObject(value) && typeof value.type === 'string' && (EVENT_TYPES as readonly string[]).includes(value.type)) {
    const type = value.type as EventType;
    keysOf(value, `the ${type} event`, ['type', ...EVENT_FIELDS[type]]);
  }
  const problem = eventProblem(value);
  if (problem !== null) fail(problem.includes(';') ? problem : `${problem}; see traces/trace.schema.json`);
  return canonicalEvent(value as unknown as Event);
}

export function resultOf(value: JsonValue | undefined): Result | null {
  const form = 'a result is null, {"ok": true, "value": N} (with "fds": [...] for new fds) or {"ok": false, "errno": "E...", "check": "..."}';
  if (value === null) return null;
  if (!isObject(value) || typeof value.ok !== 'boolean') return fail(`"result" is not a result; ${form}`);
  if (value.ok) {
    keysOf(value, 'a successful result', ['ok', 'value', 'fds'], ['ok', 'value']);
    if (!Number.isSafeInteger(value.value)) fail(`"value" must be a whole number, not ${JSON.stringify(value.value)}; ${form}`);
    if (value.fds === undefined) return { ok: true, value: value.value as number };
    if (!Array.isArray(value.fds) || !value.fds.every(isId)) fail(`"fds" must be a list of whole numbers; ${form}`);
    return { ok: true, value: value.value as number, fds: value.fds as unknown as Fd[] };
  }
  keysOf(value, 'a failed result', ['ok', 'errno', 'check']);
  if (typeof value.errno !== 'string' || !isErrno(value.errno)) fail(`unknown errno ${JSON.stringify(value.errno)}; known: ${ERRNOS.join(', ')}`);
  if (typeof value.check !== 'string') fail(`"check" must be a string naming the kernel check; ${form}`);
  return { ok: false, errno: value.errno, check: value.check };
}

function objectRefOf(value: JsonValue): ObjectRef {
  if (!isObject(value)) return fail('an object of a violation is {"kind": "mount", "id": 5}; write it that way');
  keysOf(value, 'an object of a violation', ['kind', 'id']);
  if (typeof value.kind !== 'string' || !isObjectKind(value.kind)) fail(`unknown object kind ${JSON.stringify(value.kind)}; known: ${OBJECT_KINDS.join(', ')}`);
  if (!Number.isSafeInteger(value.id) || (value.id as number) < 0) fail(`the id of a ${value.kind} must be a whole number, not ${JSON.stringify(value.id)}`);
  return { kind: value.kind, id: value.id as number };
}

export function violationsOf(value: JsonValue | undefined): Violation[] {
  const form = '"violations" is a list of {"invariant": "...", "objects": [{"kind": "mount", "id": 5}], "message": "..."}';
  if (!Array.isArray(value)) return fail(`${form}; write [] when every invariant held`);
  return value.map((item) => {
    if (!isObject(item)) return fail(form);
    keysOf(item, 'a violation', ['invariant', 'objects', 'message']);
    if (typeof item.invariant !== 'string' || !isKnownInvariant(item.invariant)) {
      fail(`unknown invariant ${JSON.stringify(item.invariant)}; known: ${KNOWN_INVARIANTS.join(', ')}`);
    }
    if (!Array.isArray(item.objects)) fail(`"objects" of a violation must be a list; ${form}`);
    if (typeof item.message !== 'string') fail(`"message" of a violation must be a string; ${form}`);
    return { invariant: item.invariant as string, objects: (item.objects as JsonValue[]).map(objectRefOf), message: item.message as string };
  });
}

export function seedOf(value: JsonValue | undefined): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isSafeInteger(value)) fail(`"seed" must be a whole number or null, not ${JSON.stringify(value)}`);
  return value as number;
}

export function bugOf(value: JsonValue | undefined): SeededBugId | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !isSeededBugId(value)) fail(`unknown seeded bug ${JSON.stringify(value)}; known: ${SEEDED_BUGS_LIST} (see mntns mutants)`);
  return value as SeededBugId;
}

export function textOf(value: JsonValue | undefined, field: string, otherwise: string | null): string | null {
  if (value === undefined || value === null) return otherwise;
  if (typeof value !== 'string') fail(`"${field}" must be a string or null, not ${JSON.stringify(value)}`);
  return value as string;
}
