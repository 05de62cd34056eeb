// The line format of a protocol trace: the header of every trace, then one line per atomic step,
// the task, the kernel function and statement, and ` = ` with the result recorded for it, and under
// it a `!` line for each invariant it violated.
//
//   mntns-trace 2
//   profile protocol nsfs-stash
//   seed 20261121
//   bug stash-plain-store
//   origin mntns check --seed 20261121 --mutant stash-plain-store, run 3, shrunk from 41 steps
//
//   [task 1] stashed_dentry_get(ns 1): rcu_read_lock() = ok
//   [task 1] stashed_dentry_get(ns 1): dentry = ns->stashed = NULL
//   [rcu] grace period = blocked: grace period cannot end: task 1 is inside a read section
//   [task 2] stash_dentry(ns 1): old = cmpxchg(ns->stashed, NULL, dentry 2) = dentry 1
//     ! one-live-dentry-per-ns: ns 1 has two live dentries, 1 and 2 @ mnt_namespace:1 dentry:1 dentry:2
//
// `[rcu]` is task 0, the RCU machinery. A step line without ` = ...` has no recorded result.
import type { AnyProtocol, ProtocolObjectRef, ProtocolViolation } from '../../protocols/index.js';
import { orderedEvent, parseEventCall, protocolOfProfile, PROTOCOL_NAMES, PROFILE_PREFIX, taskLabel, formatEventCall } from '../../protocols/index.js';
import { TRACE_FORMAT, TRACE_VERSION, TraceError } from '../trace.js';
import type { ProtocolRecordedStep, ProtocolTrace } from './trace.js';
import { formatStepResult, isProtocolObjectKind, makeProtocolTrace, parseStepResult, protocolInvariantNames } from './trace.js';
import { fail, LineError, whole } from '../line-error.js';

const oneLine = (text: string): string => text.replace(/[\r\n]+/g, ' ');
const OBJECTS_SUFFIX = / @((?: [a-z_]+:\d+)*)$/;

function formatViolation(violation: ProtocolViolation): string {
  const message = oneLine(violation.message);
  const objects = violation.objects.map((object) => ` ${object.kind}:${object.id}`).join('');
  const suffix = objects !== '' || OBJECTS_SUFFIX.test(message) ? ` @${objects}` : '';
  return `  ! ${violation.invariant}: ${message}${suffix}`;
}

/** One step as a trace line (without its `!` lines). */
export function formatProtocolLine(protocol: AnyProtocol, step: Pick<ProtocolRecordedStep, 'event' | 'result'>): string {
  const call = `${taskLabel(step.event.task)} ${formatEventCall(protocol.syntax, step.event)}`;
  return step.result === null ? call : `${call} = ${oneLine(formatStepResult(step.result))}`;
}

/** The protocol trace in the line format, ending in a newline. */
export function printProtocolTrace(trace: ProtocolTrace, protocol: AnyProtocol): string {
  const lines = [`${TRACE_FORMAT} ${trace.version}`, `profile ${trace.profile}`];
  if (trace.seed !== null) lines.push(`seed ${trace.seed}`);
  if (trace.bug !== null) lines.push(`bug ${trace.bug}`);
  if (trace.origin !== null) lines.push(`origin ${oneLine(trace.origin)}`);
  lines.push('');
  for (const step of trace.steps) {
    lines.push(formatProtocolLine(protocol, step));
    for (const violation of step.violations) lines.push(formatViolation(violation));
  }
  return `${lines.join('\n')}\n`;
}


/** The protocol a profile line names, or a one-line error listing the protocols. */
export function protocolOf(profile: string): AnyProtocol {
  const protocol = protocolOfProfile(profile);
  if (protocol === undefined) {
    fail(`unknown protocol "${profile.slice(PROFILE_PREFIX.length)}"; known: ${PROTOCOL_NAMES.map((name) => `${PROFILE_PREFIX}${name}`).join(', ')}`);
  }
  return protocol;
}

function parseStepLine(protocol: AnyProtocol, text: string): Omit<ProtocolRecordedStep, 'violations'> {
  const prefix = /^(?:\[task (\d+)\]|\[rcu\])\s*/.exec(text);
  if (prefix === null) fail('a step line starts with "[task N] " (or "[rcu] " for task 0), as in [task 1] dput(dentry 1) = ok');
  const task = prefix[1] === undefined ? 0 : whole(prefix[1]);
  if (task === null || !protocol.actors.includes(task)) {
    fail(`${protocol.name} has no task ${prefix[1] ?? '0'}; its tasks are ${protocol.actors.map(taskLabel).join(', ')}`);
  }
  const rest = text.slice(prefix[0].length);
  const parsed = parseEventCall(protocol.syntax, rest, task);
  if (parsed === null) {
    const first = protocol.nextEvent(protocol.initialState(), protocol.actors.at(-1) ?? 0, {});
    fail(`no step of ${protocol.name} reads "${rest}"; write a step as mntns writes it, e.g. ${formatProtocolLine(protocol, { event: first, result: null })}`);
  }
  const tail = rest.slice(parsed.end);
  if (tail.trim() === '') return { event: orderedEvent(protocol.syntax, parsed.event), result: null };
  const returned = /^ = (.*)$/s.exec(tail)?.[1];
  if (returned === undefined || returned.trim() === '') fail(`after the step comes " = " and its result (ok, a value, or blocked: why), or nothing`);
  return { event: orderedEvent(protocol.syntax, parsed.event), result: parseStepResult(returned) };
}

function parseViolation(protocol: AnyProtocol, text: string): ProtocolViolation {
  const parts = /^!\s*([^\s:]+):(?: (.*))?$/s.exec(text);
  if (parts === null) fail('a violation line reads "! invariant: message @ kind:id ..."; write it that way');
  const invariant = parts[1] as string;
  const known = protocolInvariantNames(protocol);
  if (!known.includes(invariant)) fail(`${protocol.name} has no invariant "${invariant}"; known: ${known.join(', ')}`);
  let message = parts[2] ?? '';
  const objects: ProtocolObjectRef[] = [];
  const suffix = OBJECTS_SUFFIX.exec(message);
  if (suffix !== null) {
    message = message.slice(0, suffix.index);
    for (const item of (suffix[1] as string).trim().split(' ').filter((part) => part !== '')) {
      const [kind = '', id = ''] = item.split(':');
      if (!isProtocolObjectKind(kind)) fail(`unknown object kind "${kind}" in ${item}; a protocol names task, dentry, inode, mnt_namespace, mount or rcu_head`);
      objects.push({ kind, id: Number(id) });
    }
  }
  return { invariant, objects, message };
}

const HEADER_KEYS = ['profile', 'seed', 'bug', 'origin'];

/** Reads a protocol trace in the line format; a mistake is a TraceError naming `file:line` and the fix. */
export function parseProtocolTrace(text: string, file: string): ProtocolTrace {
  let version: number | null = null;
  let protocol: AnyProtocol | null = null;
  const header: { seed: number | null; bug: string | null; origin: string | null } = { seed: null, bug: null, origin: null };
  const seen = new Set<string>();
  const steps: { event: ProtocolRecordedStep['event']; result: ProtocolRecordedStep['result']; violations: ProtocolViolation[] }[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\r$/, '').trimStart();
    if (line.trim() === '' || line.startsWith('#')) continue;
    try {
      if (version === null) {
        const digits = /^mntns-trace\s+(\d+)$/.exec(line.trimEnd())?.[1];
        if (digits === undefined) fail(`the first line of a trace is "${TRACE_FORMAT} ${TRACE_VERSION}"`);
        version = Number(digits);
        if (version > TRACE_VERSION) fail(`this trace was written by a newer mntns (format ${digits}, this one reads up to ${TRACE_VERSION}); upgrade mntns`);
        if (version < 2) fail(`format ${digits} has no protocol traces; write "${TRACE_FORMAT} ${TRACE_VERSION}"`);
        continue;
      }
      if (line.startsWith('[')) {
        if (protocol === null) fail('a step before the "profile protocol NAME" line; name the protocol first');
        steps.push({ ...parseStepLine(protocol, line.trimEnd()), violations: [] });
        continue;
      }
      if (line.startsWith('!')) {
        const last = steps.at(-1);
        if (last === undefined || protocol === null) fail('a "!" line before any step; put each violation under the step it belongs to');
        if (last.result === null) fail('a "!" line under a step with no recorded result; record its result (= ...) or drop the "!" line');
        last.violations.push(parseViolation(protocol, line));
        continue;
      }
      const key = /^\S+/.exec(line)?.[0] ?? '';
      if (!HEADER_KEYS.includes(key)) fail(`unknown header "${key}"; known: ${HEADER_KEYS.join(', ')} (a step line starts with "[task N] ")`);
      if (steps.length > 0) fail(`header "${key}" after the first step; move it above the steps`);
      if (seen.has(key)) fail(`header "${key}" given twice; keep one`);
      seen.add(key);
      const value = line.slice(key.length).trim();
      if (value === '') fail(`"${key}" needs a value; write ${key} and its value on one line, or leave the line out`);
      if (key === 'profile') protocol = protocolOf(value);
      else if (key === 'seed') header.seed = whole(value) ?? fail(`bad seed "${value}"; a seed is a whole number such as 20261121`);
      else if (key === 'origin') header.origin = value;
      else header.bug = value;
    } catch (error) {
      if (error instanceof LineError) throw new TraceError(`${file}:${index + 1}: ${error.message}`);
      throw error;
    }
  }
  if (version === null) throw new TraceError(`${file}:1: empty trace; the first line of a trace is "${TRACE_FORMAT} ${TRACE_VERSION}"`);
  if (protocol === null) throw new TraceError(`${file}:1: no "profile protocol NAME" line; name one of ${PROTOCOL_NAMES.join(', ')}`);
  const bug = header.bug;
  if (bug !== null && !protocol.bugs.includes(bug)) {
    const line = text.split('\n').findIndex((candidate) => /^\s*bug\s/.test(candidate)) + 1;
    throw new TraceError(`${file}:${line}: ${protocol.name} has no seeded bug "${bug}"; known: ${protocol.bugs.join(', ')} (see mntns mutants)`);
  }
  return makeProtocolTrace(protocol, { ...header, steps });
}
