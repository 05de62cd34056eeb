// The JSON form of a trace, for tools: the same Trace as the line format, one step per line so that
// a mistake can be named by `file:line`; its schema is traces/trace.schema.json.
//
//   {"format":"mntns-trace","version":2,"profile":"linux-6.18","seed":7,"bug":null,"origin":null,"steps":[
//   {"event":{"type":"mkdir","task":1,"path":"/mnt/a"},"result":{"ok":true,"value":0},"violations":[]}
//   ]}
//
// Version 1 (steps of {event, result}, with the violations after the last step at the top level)
// is read too, and becomes a version-2 trace.
import type { Violation } from '../properties/index.js';
import type { JsonObject } from './json-form.js';
import { bugOf, eventOf, FormError, isObject, keysOf, resultOf, seedOf, textOf, violationsOf } from './json-form.js';
import type { JsonValue } from './json-text.js';
import { JsonSyntaxError, parseJson } from './json-text.js';
import type { RecordedStep, Trace } from './trace.js';
import { MODEL_PROFILE, TRACE_FORMAT, TRACE_VERSION, TraceError } from './trace.js';
import { canonicalStep } from './vocabulary.js';

/** The trace in its JSON form, one step per line, ending in a newline. */
export function printJsonTrace(trace: Trace): string {
  const header = JSON.stringify({
    format: TRACE_FORMAT,
    version: trace.version,
    profile: trace.profile,
    seed: trace.seed,
    bug: trace.bug,
    origin: trace.origin,
  });
  const steps = trace.steps.map((step) => JSON.stringify(canonicalStep(step)));
  return `${header.slice(0, -1)},"steps":[\n${steps.join(',\n')}${steps.length === 0 ? '' : '\n'}]}\n`;
}

const TOP_FIELDS = ['format', 'version', 'profile', 'seed', 'bug', 'origin', 'steps'];
const TOP_FIELDS_V1 = ['format', 'version', 'profile', 'seed', 'bug', 'steps', 'violations'];

/** Reads the JSON form (version 1 or 2); a mistake is a TraceError naming `file:line` and the fix. */
export function parseJsonTrace(text: string, file: string): Trace {
  let document;
  try {
    document = parseJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      throw new TraceError(`${file}:${error.line}: not a JSON trace (${error.message}); fix the JSON, or save the trace again with mntns check`);
    }
    throw error;
  }
  const { value: top, lineOf } = document;
  // Every mistake below names the line of the innermost object or list being read.
  let where: object | null = null;
  const at = (node: JsonValue | undefined): void => {
    if (typeof node === 'object' && node !== null) where = node;
  };
  try {
    if (!isObject(top) || top.format !== TRACE_FORMAT) {
      throw new FormError(`not an mntns trace (no "format": "${TRACE_FORMAT}"); save traces with mntns check`);
    }
    at(top);
    const version = top.version;
    if (!Number.isSafeInteger(version) || (version as number) < 1) throw new FormError(`"version" must be a whole number such as ${TRACE_VERSION}, not ${JSON.stringify(version)}`);
    if ((version as number) > TRACE_VERSION) {
      throw new FormError(`this trace was written by a newer mntns (format ${String(version)}, this one reads up to ${TRACE_VERSION}); upgrade mntns`);
    }
    const v1 = version === 1;
    keysOf(top, 'the trace', v1 ? TOP_FIELDS_V1 : TOP_FIELDS, ['format', 'version', 'steps']);
    const profile = textOf(top.profile, 'profile', MODEL_PROFILE) ?? MODEL_PROFILE;
    const seed = seedOf(top.seed);
    const bug = bugOf(top.bug);
    const origin = v1 ? null : textOf(top.origin, 'origin', null);
    if (!Array.isArray(top.steps)) throw new FormError(`"steps" must be a list of {"event", "result", "violations"}`);
    at(top.steps);
    const list: JsonValue[] = top.steps;
    const steps: RecordedStep[] = list.map((item, index) => {
      at(item);
      const what = `step ${index + 1}`;
      if (!isObject(item)) throw new FormError(`${what} must be an object {"event", "result", "violations"}`);
      try {
        return v1 ? stepV1(item) : stepV2(item);
      } catch (error) {
        if (error instanceof FormError) throw new FormError(`${what}: ${error.message}`);
        throw error;
      }
    });
    if (v1) {
      at(top);
      const violations = top.violations === undefined ? [] : violationsOf(top.violations);
      const last = steps.at(-1);
      if (violations.length > 0 && last === undefined) throw new FormError('violations with no step to follow; drop them or add the steps');
      if (last !== undefined) steps[steps.length - 1] = { ...last, violations };
    }
    return { version: TRACE_VERSION, profile, seed, bug, origin, steps };
  } catch (error) {
    if (error instanceof FormError) throw new TraceError(`${file}:${where === null ? 1 : lineOf(where)}: ${error.message}`);
    throw error;
  }
}

function stepV2(item: JsonObject): RecordedStep {
  keysOf(item, 'a step', ['event', 'result', 'violations']);
  const event = eventOf(item.event);
  const result = resultOf(item.result);
  const violations: Violation[] = violationsOf(item.violations);
  if (result === null && violations.length > 0) {
    throw new FormError('violations under a step with no recorded result; record its result or write "violations": []');
  }
  return { event, result, violations };
}

function stepV1(item: JsonObject): RecordedStep {
  keysOf(item, 'a step', ['event', 'result']);
  const event = eventOf(item.event);
  const result = resultOf(item.result);
  if (result === null) throw new FormError('"result" must be {ok: true, value} or {ok: false, errno, check}');
  return { event, result, violations: [] };
}
