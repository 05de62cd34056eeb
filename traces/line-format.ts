// The line format of a trace, written and read by people: a version line, a few header lines, then
// one strace-like line per event with the result recorded for it, and under it a `!` line for each
// invariant it violated.
//
//   mntns-trace 2
//   # a comment
//   profile linux-6.18
//   seed 20261121
//   bug mnt-ns-loop-off-by-one
//   origin mntns check --seed 20261121 --mutant mnt-ns-loop-off-by-one, run 16, shrunk from 22 events
//
//   [pid 1] mknod("/tmp/f", S_IFREG|0644) = 0
//   [pid 1] mount("/proc/self/ns/mnt", "/tmp/f", NULL, MS_BIND) = 0
//     ! no-mnt-ns-loop: mount namespace 1 (id 1) holds mount 5, ... @ mnt_namespace:1 mount:5
//   [pid 1] umount2("/tmp/f", MNT_DETACH)
//
// An event line without ` = ...` has no recorded result; one with a result and no `!` line below
// recorded that every invariant held.
import type { Event, Fd, Result, SeededBugId } from '../model/index.js';
import { ERRNOS, isErrno, isSeededBugId } from '../model/index.js';
import type { ObjectRef, Violation } from '../properties/index.js';
import { CallError, parseCall } from './line-call.js';
import { formatCall, formatReturn } from './print.js';
import type { RecordedStep, Trace } from './trace.js';
import { MODEL_PROFILE, TRACE_FORMAT, TRACE_VERSION, TraceError } from './trace.js';
import { isId, MAX_ID } from './validate.js';
import { canonicalTrace, isKnownInvariant, isObjectKind, KNOWN_INVARIANTS, OBJECT_KINDS, SEEDED_BUGS_LIST } from './vocabulary.js';
import { fail, LineError, whole } from './line-error.js';

const HEADER_KEYS = ['profile', 'seed', 'bug', 'origin'] as const;
type HeaderKey = (typeof HEADER_KEYS)[number];

/** The object list at the end of a `!` line: ` @ mount:5 mnt_namespace:1`, or a bare ` @` for none. */
const OBJECTS_SUFFIX = / @((?: [a-z_]+:\d+)*)$/;

const oneLine = (text: string): string => text.replace(/[\r\n]+/g, ' ');

function formatViolation(violation: Violation): string {
  const message = oneLine(violation.message);
  const objects = violation.objects.map((object) => ` ${object.kind}:${object.id}`).join('');
  // A message that itself ends like an object list gets an explicit (maybe empty) one after it.
  const suffix = objects !== '' || OBJECTS_SUFFIX.test(message) ? ` @${objects}` : '';
  return `  ! ${violation.invariant}: ${message}${suffix}`;
}

/** The trace in the line format, ending in a newline. */
export function printTrace(trace: Trace): string {
  const lines = [`${TRACE_FORMAT} ${trace.version}`, `profile ${oneLine(trace.profile)}`];
  if (trace.seed !== null) lines.push(`seed ${trace.seed}`);
  if (trace.bug !== null) lines.push(`bug ${trace.bug}`);
  if (trace.origin !== null) lines.push(`origin ${oneLine(trace.origin)}`);
  lines.push('');
  for (const step of trace.steps) {
    const call = `[pid ${step.event.task}] ${formatCall(step.event)}`;
    lines.push(step.result === null ? call : `${call} ${oneLine(formatReturn(step.result))}`);
    for (const violation of step.violations) lines.push(formatViolation(violation));
  }
  return `${lines.join('\n')}\n`;
}


/** `= 0`, `= 3 [3, 4]`, `= -1 EINVAL (do_loopback: mnt_ns_loop)`: the check runs to the last `)`. */
function parseReturn(text: string): Result {
  const form = 'write = N, = N [fd, ...] or = -1 ERRNO (check)';
  const returned = /^\s*=\s*(.*)$/s.exec(text.trimEnd())?.[1];
  if (returned === undefined) fail(`unexpected text after the call: ${text.trim()}; ${form}, or nothing for no recorded result`);
  const failed = /^-1 ([A-Z0-9]+) \((.*)\)$/s.exec(returned);
  if (failed !== null) {
    const errno = failed[1] as string;
    if (!isErrno(errno)) fail(`unknown errno "${errno}"; known: ${ERRNOS.join(', ')}`);
    return { ok: false, errno, check: failed[2] as string };
  }
  if (/^-1 \S+$/.test(returned)) fail(`a failure needs the failing check in parentheses: = -1 ERRNO (check); add it`);
  const succeeded = /^(-?\d+)(?: \[(.*)\])?$/s.exec(returned);
  const value = succeeded === null ? null : whole(succeeded[1] as string);
  if (succeeded === null || value === null) fail(`bad return value "${returned}"; ${form}`);
  const list = succeeded[2];
  if (list === undefined) return { ok: true, value };
  const fds = list.trim() === '' ? [] : list.split(',').map((item) => whole(item.trim()));
  if (!fds.every(isId)) fail(`bad fd list [${list}] in the return value; list whole numbers up to ${MAX_ID}, as in = 0 [3, 4]`);
  return { ok: true, value, fds: fds as Fd[] };
}

/** `! no-mnt-ns-loop: message @ mount:5 mnt_namespace:1`. */
function parseViolation(text: string): Violation {
  const parts = /^!\s*([^\s:]+):(?: (.*))?$/s.exec(text);
  if (parts === null) fail(`a violation line reads "! invariant: message @ kind:id ..."; write it that way`);
  const invariant = parts[1] as string;
  if (!isKnownInvariant(invariant)) fail(`unknown invariant "${invariant}"; known: ${KNOWN_INVARIANTS.join(', ')}`);
  let message = parts[2] ?? '';
  const objects: ObjectRef[] = [];
  const suffix = OBJECTS_SUFFIX.exec(message);
  if (suffix !== null) {
    message = message.slice(0, suffix.index);
    for (const item of (suffix[1] as string).trim().split(' ').filter((part) => part !== '')) {
      const [kind = '', id = ''] = item.split(':');
      if (!isObjectKind(kind)) fail(`unknown object kind "${kind}" in ${item}; known: ${OBJECT_KINDS.join(', ')}`);
      const number = whole(id);
      if (number === null || number < 0) fail(`bad object id in ${item}; write kind:N with N a whole number`);
      objects.push({ kind, id: number });
    }
  }
  return { invariant, objects, message };
}

interface Header {
  profile: string;
  seed: number | null;
  bug: SeededBugId | null;
  origin: string | null;
}

function parseHeader(key: HeaderKey, value: string, header: Header): void {
  if (value === '') fail(`"${key}" needs a value; write ${key} and its value on one line, or leave the line out`);
  switch (key) {
    case 'profile':
      header.profile = value;
      return;
    case 'seed': {
      const seed = whole(value);
      if (seed === null) fail(`bad seed "${value}"; a seed is a whole number such as 20261121`);
      header.seed = seed;
      return;
    }
    case 'bug':
      if (!isSeededBugId(value)) fail(`unknown seeded bug "${value}"; known: ${SEEDED_BUGS_LIST} (see mntns mutants)`);
      header.bug = value;
      return;
    case 'origin':
      header.origin = value;
      return;
  }
}

/** The version of the first line: `mntns-trace 2`. */
function parseVersion(text: string): number {
  const first = `the first line of a trace is "${TRACE_FORMAT} ${TRACE_VERSION}"`;
  if (text.startsWith('{')) fail(`this looks like the JSON form of a trace; name the file *.json, or ${first}`);
  if (!text.startsWith(TRACE_FORMAT)) fail(`not an mntns trace: ${first}; add it`);
  const digits = /^mntns-trace\s+(\d+)$/.exec(text)?.[1];
  if (digits === undefined) fail(`garbled version line "${text}"; ${first}`);
  const version = Number(digits);
  if (version > TRACE_VERSION) fail(`this trace was written by a newer mntns (format ${digits}, this one reads up to ${TRACE_VERSION}); upgrade mntns`);
  if (version < 2) fail(`format ${digits} has no line form (version-1 traces are JSON files); ${first}`);
  return version;
}

function parseEventLine(text: string): { readonly event: Event; readonly result: Result | null } {
  const prefix = /^\[pid (\d+)\]\s*/.exec(text);
  if (prefix === null) fail(`an event line starts with "[pid N] ", as in [pid 1] mkdir("/mnt/a", 0755); write the acting pid that way`);
  const task = whole(prefix[1] as string);
  if (task === null) fail(`bad pid "${prefix[1] ?? ''}"; a pid is a whole number`);
  const rest = text.slice(prefix[0].length);
  try {
    const { event, end } = parseCall(rest, task);
    const tail = rest.slice(end);
    return { event, result: tail.trim() === '' ? null : parseReturn(tail) };
  } catch (error) {
    if (error instanceof CallError) fail(error.message);
    throw error;
  }
}

/** Reads a trace in the line format; a mistake is a TraceError naming `file:line` and the fix. */
export function parseTrace(text: string, file: string): Trace {
  const lines = text.split('\n');
  let version: number | null = null;
  const header: Header = { profile: MODEL_PROFILE, seed: null, bug: null, origin: null };
  const headerLines = new Map<HeaderKey, number>();
  const steps: { event: Event; result: Result | null; violations: Violation[]; line: number }[] = [];
  for (const [index, raw] of lines.entries()) {
    // Leading blanks and a Windows line end are layout; trailing blanks belong to a message.
    const line = raw.replace(/\r$/, '').trimStart();
    const number = index + 1;
    if (line.trim() === '' || line.startsWith('#')) continue;
    try {
      if (version === null) {
        version = parseVersion(line.trimEnd());
        continue;
      }
      if (line.startsWith('[')) {
        steps.push({ ...parseEventLine(line.trimEnd()), violations: [], line: number });
        continue;
      }
      if (line.startsWith('!')) {
        const last = steps.at(-1);
        if (last === undefined) fail(`a "!" line before any event; put each violation under the event line it belongs to`);
        if (last.result === null) fail(`a "!" line under an event with no recorded result (line ${last.line}); record its result (= ...) or drop the "!" line`);
        last.violations.push(parseViolation(line));
        continue;
      }
      const key = /^\S+/.exec(line)?.[0] ?? '';
      if (!(HEADER_KEYS as readonly string[]).includes(key)) {
        const hint = /^[a-z_0-9]+\(/.test(key) ? ' (an event line starts with "[pid N] ")' : '';
        fail(`unknown header "${key}"; known: ${HEADER_KEYS.join(', ')}${hint}`);
      }
      const known = key as HeaderKey;
      const first = steps[0];
      if (first !== undefined) fail(`header "${known}" after the first event (line ${first.line}); move it above the events`);
      const earlier = headerLines.get(known);
      if (earlier !== undefined) fail(`header "${known}" given twice (first on line ${earlier}); keep one`);
      headerLines.set(known, number);
      parseHeader(known, line.slice(known.length).trim(), header);
    } catch (error) {
      if (error instanceof LineError) throw new TraceError(`${file}:${number}: ${error.message}`);
      throw error;
    }
  }
  if (version === null) {
    throw new TraceError(`${file}:1: empty trace; the first line of a trace is "${TRACE_FORMAT} ${TRACE_VERSION}"`);
  }
  const recorded: RecordedStep[] = steps.map(({ event, result, violations }) => ({ event, result, violations }));
  return canonicalTrace({ version, ...header, steps: recorded });
}
