// The names a trace may use besides events (invariants, object kinds, seeded bugs), and the one
// canonical shape of each recorded value, so that both codecs print the same trace the same way
// whatever key order its objects were built with.
import type { Event, Result } from '../model/index.js';
import { SEEDED_BUG_IDS } from '../model/index.js';
import type { ObjectKind, Violation } from '../properties/index.js';
import { INVARIANT_NAMES, MODEL_TOTAL } from '../properties/index.js';
import type { RecordedStep, Trace } from './trace.js';
import { EVENT_FIELDS } from './validate.js';

/** The invariants a violation may name: every invariant, and the model throwing. */
export const KNOWN_INVARIANTS: readonly string[] = [...INVARIANT_NAMES, MODEL_TOTAL];

export const OBJECT_KINDS = [
  'task',
  'fs_struct',
  'files_struct',
  'file',
  'mnt_namespace',
  'mount',
  'super_block',
  'dentry',
  'mountpoint',
] as const satisfies readonly ObjectKind[];

// Every ObjectKind is listed above: this fails to compile when properties/invariant.ts adds one.
const everyKindListed: Exclude<ObjectKind, (typeof OBJECT_KINDS)[number]> extends never ? true : never = true;
void everyKindListed;

export const isObjectKind = (name: string): name is ObjectKind => (OBJECT_KINDS as readonly string[]).includes(name);
export const isKnownInvariant = (name: string): boolean => KNOWN_INVARIANTS.includes(name);
export const SEEDED_BUGS_LIST = SEEDED_BUG_IDS.join(', ');

/** The event with its type first and its fields in argument order. */
export function canonicalEvent(event: Event): Event {
  const record = event as unknown as Record<string, unknown>;
  const fields: [string, unknown][] = [['type', event.type]];
  for (const field of EVENT_FIELDS[event.type]) fields.push([field, record[field]]);
  return Object.fromEntries(fields) as unknown as Event;
}

export function canonicalResult(result: Result): Result {
  if (!result.ok) return { ok: false, errno: result.errno, check: result.check };
  return result.fds === undefined ? { ok: true, value: result.value } : { ok: true, value: result.value, fds: [...result.fds] };
}

export function canonicalViolation(violation: Violation): Violation {
  return {
    invariant: violation.invariant,
    objects: violation.objects.map((object) => ({ kind: object.kind, id: object.id })),
    message: violation.message,
  };
}

export function canonicalStep(step: RecordedStep): RecordedStep {
  return {
    event: canonicalEvent(step.event),
    result: step.result === null ? null : canonicalResult(step.result),
    violations: step.violations.map(canonicalViolation),
  };
}

export function canonicalTrace(trace: Trace): Trace {
  return {
    version: trace.version,
    profile: trace.profile,
    seed: trace.seed,
    bug: trace.bug,
    origin: trace.origin,
    steps: trace.steps.map(canonicalStep),
  };
}
