// The JSON form of a protocol trace: the header object of every JSON trace, with the profile
// naming the protocol, and one step per line,
//
//   {"format":"mntns-trace","version":2,"profile":"protocol nsfs-stash","seed":7,"bug":null,"origin":null,"steps":[
//   {"event":{"type":"dput","task":1,"dentry":1},"result":{"ok":true,"value":"count 0"},"violations":[]}
//   ]}
//
// A failed step's result is {"ok": false, "failure": "blocked" | "finished", "detail": "..."}. The
// schema (traces/schema.ts) describes it; a mistake is a TraceError naming `file:line`.
import type { AnyProtocol, ProtocolViolation, StepResult } from '../../protocols/index.js';
import { orderedEvent, protocolEventProblem } from '../../protocols/index.js';
import type { JsonObject } from '../json-form.js';
import { FormError, isObject, keysOf, seedOf, textOf } from '../json-form.js';
import type { JsonDocument, JsonValue } from '../json-text.js';
import { TRACE_FORMAT, TRACE_VERSION, TraceError } from '../trace.js';
import { protocolOf } from './line-format.js';
import type { ProtocolRecordedStep, ProtocolTrace } from './trace.js';
import { isProtocolObjectKind, makeProtocolTrace, protocolInvariantNames } from './trace.js';

function canonicalResult(result: StepResult): StepResult {
  return result.ok ? { ok: true, value: result.value } : { ok: false, failure: result.failure, detail: result.detail };
}

/** The protocol trace in its JSON form, one step per line, ending in a newline. */
export function printProtocolJsonTrace(trace: ProtocolTrace, protocol: AnyProtocol): string {
  const header = JSON.stringify({ format: TRACE_FORMAT, version: trace.version, profile: trace.profile, seed: trace.seed, bug: trace.bug, origin: trace.origin });
  const steps = trace.steps.map((step) =>
    JSON.stringify({
      event: orderedEvent(protocol.syntax, step.event),
      result: step.result === null ? null : canonicalResult(step.result),
      violations: step.violations.map((violation) => ({
        invariant: violation.invariant,
        objects: violation.objects.map((object) => ({ kind: object.kind, id: object.id })),
        message: violation.message,
      })),
    }),
  );
  return `${header.slice(0, -1)},"steps":[\n${steps.join(',\n')}${steps.length === 0 ? '' : '\n'}]}\n`;
}

function fail(message: string): never {
  throw new FormError(message);
}

function resultOf(value: JsonValue | undefined): StepResult | null {
  const form = 'a result is null, {"ok": true, "value": "..."} or {"ok": false, "failure": "blocked" or "finished", "detail": "..."}';
  if (value === null) return null;
  if (!isObject(value) || typeof value.ok !== 'boolean') return fail(`"result" is not a result; ${form}`);
  if (value.ok) {
    keysOf(value, 'a successful result', ['ok', 'value']);
    if (typeof value.value !== 'string') fail(`"value" of a protocol step is a string; ${form}`);
    return { ok: true, value: value.value as string };
  }
  keysOf(value, 'a failed result', ['ok', 'failure', 'detail']);
  if (value.failure !== 'blocked' && value.failure !== 'finished') fail(`"failure" must be "blocked" or "finished"; ${form}`);
  if (typeof value.detail !== 'string') fail(`"detail" must be a string; ${form}`);
  return { ok: false, failure: value.failure, detail: value.detail as string };
}

function violationsOf(protocol: AnyProtocol, value: JsonValue | undefined): ProtocolViolation[] {
  const form = '"violations" is a list of {"invariant": "...", "objects": [{"kind": "dentry", "id": 1}], "message": "..."}';
  if (!Array.isArray(value)) return fail(`${form}; write [] when every invariant held`);
  const known = protocolInvariantNames(protocol);
  return value.map((item) => {
    if (!isObject(item)) return fail(form);
    keysOf(item, 'a violation', ['invariant', 'objects', 'message']);
    if (typeof item.invariant !== 'string' || !known.includes(item.invariant)) fail(`${protocol.name} has no invariant ${JSON.stringify(item.invariant)}; known: ${known.join(', ')}`);
    if (!Array.isArray(item.objects)) fail(`"objects" of a violation must be a list; ${form}`);
    if (typeof item.message !== 'string') fail(`"message" of a violation must be a string; ${form}`);
    const objects = (item.objects as JsonValue[]).map((object) => {
      if (!isObject(object)) return fail('an object of a violation is {"kind": "dentry", "id": 1}; write it that way');
      keysOf(object, 'an object of a violation', ['kind', 'id']);
      if (typeof object.kind !== 'string' || !isProtocolObjectKind(object.kind)) fail(`unknown object kind ${JSON.stringify(object.kind)}; a protocol names task, dentry, inode, mnt_namespace, mount or rcu_head`);
      if (!Number.isSafeInteger(object.id) || (object.id as number) < 0) fail(`the id of a ${object.kind} must be a whole number`);
      return { kind: object.kind, id: object.id as number };
    });
    return { invariant: item.invariant as string, objects, message: item.message as string };
  });
}

function stepOf(protocol: AnyProtocol, item: JsonObject): ProtocolRecordedStep {
  keysOf(item, 'a step', ['event', 'result', 'violations']);
  const event = item.event;
  if (!isObject(event)) fail('"event" must be an object {"type": ..., "task": N, ...}');
  const problem = protocolEventProblem(protocol.syntax, event);
  if (problem !== null) fail(problem);
  if (!protocol.actors.includes(event.task as number)) fail(`${protocol.name} has no task ${String(event.task)}; its tasks are ${protocol.actors.join(', ')}`);
  const result = resultOf(item.result);
  const violations = violationsOf(protocol, item.violations);
  if (result === null && violations.length > 0) fail('violations under a step with no recorded result; record its result or write "violations": []');
  return { event: orderedEvent(protocol.syntax, event as unknown as ProtocolRecordedStep['event']), result, violations };
}

const TOP_FIELDS = ['format', 'version', 'profile', 'seed', 'bug', 'origin', 'steps'];

/** Reads the JSON form of a protocol trace from a parsed document whose profile names a protocol. */
export function protocolTraceOfJson(document: JsonDocument, file: string): ProtocolTrace {
  const { value: top, lineOf } = document;
  let where: object | null = null;
  const at = (node: JsonValue | undefined): void => {
    if (typeof node === 'object' && node !== null) where = node;
  };
  try {
    if (!isObject(top)) fail('not an mntns trace');
    at(top);
    if (top.version !== TRACE_VERSION) fail(`"version" of a protocol trace is ${TRACE_VERSION}, not ${JSON.stringify(top.version)}`);
    keysOf(top, 'the trace', TOP_FIELDS, ['format', 'version', 'profile', 'steps']);
    let protocol: AnyProtocol;
    try {
      protocol = protocolOf(String(top.profile));
    } catch (error) {
      return fail(error instanceof Error ? error.message : String(error));
    }
    const seed = seedOf(top.seed);
    const bug = textOf(top.bug, 'bug', null);
    if (bug !== null && !protocol.bugs.includes(bug)) fail(`${protocol.name} has no seeded bug ${JSON.stringify(bug)}; known: ${protocol.bugs.join(', ')} (see mntns mutants)`);
    const origin = textOf(top.origin, 'origin', null);
    if (!Array.isArray(top.steps)) fail('"steps" must be a list of {"event", "result", "violations"}');
    at(top.steps);
    const steps = (top.steps as JsonValue[]).map((item, index) => {
      at(item);
      if (!isObject(item)) return fail(`step ${index + 1} must be an object {"event", "result", "violations"}`);
      try {
        return stepOf(protocol, item);
      } catch (error) {
        if (error instanceof FormError) throw new FormError(`step ${index + 1}: ${error.message}`);
        throw error;
      }
    });
    return makeProtocolTrace(protocol, { seed, bug, origin, steps });
  } catch (error) {
    if (error instanceof FormError) throw new TraceError(`${file}:${where === null ? 1 : lineOf(where)}: ${error.message}`);
    throw error;
  }
}
