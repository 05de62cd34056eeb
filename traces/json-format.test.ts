import { describe, expect, it } from 'vitest';
import { parseJsonTrace, printJsonTrace } from './json-format.js';
import { TraceError } from './trace.js';

const MKDIR = '{"type":"mkdir","task":1,"path":"/mnt/a"}';
const OK = '{"ok":true,"value":0}';
const head = (version = 2): string =>
  `{"format":"mntns-trace","version":${version},"profile":"linux-6.18","seed":7,"bug":null,"origin":null,"steps":[\n`;

function error(text: string): string {
  try {
    parseJsonTrace(text, 't.json');
  } catch (caught) {
    expect(caught).toBeInstanceOf(TraceError);
    return (caught as TraceError).message;
  }
  throw new Error('the trace was accepted');
}

describe('the JSON form', () => {
  it('prints the header on the first line and one step per line', () => {
    const text = `${head()}{"event":${MKDIR},"result":${OK},"violations":[]},\n{"event":${MKDIR},"result":null,"violations":[]}\n]}\n`;
    const trace = parseJsonTrace(text, 't.json');
    expect(trace.steps).toHaveLength(2);
    expect(trace.steps[1]?.result).toBeNull();
    expect(printJsonTrace(trace)).toBe(text);
  });

  it('prints its fields in one order whatever order they were read in', () => {
    const shuffled = `{"steps":[{"violations":[],"result":{"value":0,"ok":true},"event":{"path":"/mnt/a","task":1,"type":"mkdir"}}],"version":2,"format":"mntns-trace"}`;
    expect(printJsonTrace(parseJsonTrace(shuffled, 't.json'))).toBe(
      `{"format":"mntns-trace","version":2,"profile":"linux-6.18","seed":null,"bug":null,"origin":null,"steps":[\n{"event":${MKDIR},"result":${OK},"violations":[]}\n]}\n`,
    );
  });

  it('reads version 1, whose violations after the last step stand at the top level', () => {
    const v1 = JSON.stringify(
      {
        format: 'mntns-trace',
        version: 1,
        profile: 'linux-6.18',
        seed: 3,
        bug: 'mnt-ns-loop-off-by-one',
        steps: [
          { event: { type: 'mknod', task: 1, path: '/tmp/f' }, result: { ok: true, value: 0 } },
          { event: { type: 'mount', task: 1, source: '/proc/self/ns/mnt', target: '/tmp/f', fstype: null, flags: ['MS_BIND'] }, result: { ok: true, value: 0 } },
        ],
        violations: [{ invariant: 'no-mnt-ns-loop', objects: [{ kind: 'mount', id: 5 }], message: 'a loop' }],
      },
      null,
      1,
    );
    const trace = parseJsonTrace(v1, 'old.trace.json');
    expect(trace).toMatchObject({ version: 2, seed: 3, bug: 'mnt-ns-loop-off-by-one', origin: null });
    expect(trace.steps.map((step) => step.violations.length)).toEqual([0, 1]);
    expect(trace.steps[1]?.violations[0]).toEqual({ invariant: 'no-mnt-ns-loop', objects: [{ kind: 'mount', id: 5 }], message: 'a loop' });
  });
});

describe('a mistake in a JSON trace is one line naming file:line and the fix', () => {
  const step = (text: string): string => `${head()}{"event":${MKDIR},"result":${OK},"violations":[]},\n${text}\n]}`;
  it.each([
    ['broken JSON', '{"format": "mntns-trace",\n "version": 2, "steps": [', /^t\.json:2: not a JSON trace \(expected a value, found the end of the file\); fix the JSON/],
    ['a missing comma', '{"format": "mntns-trace"\n\n "version": 2}', /^t\.json:3: not a JSON trace \(expected "," or "}" after a value in an object, found "\\"version\\"/],
    ['an unclosed string', '{"format": "mntns-trace', /^t\.json:1: not a JSON trace \(a string has no closing quote\)/],
    ['a repeated key', '{"format": "mntns-trace", "format": "x"}', /^t\.json:1: not a JSON trace \(key "format" given twice/],
    ['deep nesting', `${'['.repeat(5000)}`, /^t\.json:1: not a JSON trace \(values nested deeper than 64 levels\)/],
    ['not a trace', '{"steps": []}', /^t\.json:1: not an mntns trace \(no "format": "mntns-trace"\); save traces with mntns check$/],
    ['a newer version', '{"format": "mntns-trace", "version": 99, "steps": []}', /^t\.json:1: this trace was written by a newer mntns \(format 99, this one reads up to 2\); upgrade mntns$/],
    ['a version that is no number', '{"format": "mntns-trace", "version": "2", "steps": []}', /^t\.json:1: "version" must be a whole number such as 2/],
    ['an unknown top-level field', '{"format": "mntns-trace", "version": 2, "steps": [], "extra": 1}', /^t\.json:1: the trace has an unknown field "extra"; its fields are format, /],
    ['an unknown seeded bug', '{"format": "mntns-trace", "version": 2, "bug": "nope", "steps": []}', /^t\.json:1: unknown seeded bug "nope"; known: copy-mnt-ns-keeps-nsfs, /],
    ['a bad seed', '{"format": "mntns-trace", "version": 2, "seed": 1e300, "steps": []}', /^t\.json:1: "seed" must be a whole number or null/],
    ['an unknown event', step(`{"event":{"type":"frob","task":1},"result":${OK},"violations":[]}`), /^t\.json:3: step 2: unknown event "frob"; known events: clone, /],
    ['an unknown flag', step(`{"event":{"type":"umount2","task":1,"target":"/","flags":["MNT_LAZY"]},"result":${OK},"violations":[]}`), /^t\.json:3: step 2: umount2: unknown flag "MNT_LAZY"; known: MNT_FORCE/],
    ['a wrong type', step(`{"event":{"type":"close","task":1,"fd":"3"},"result":${OK},"violations":[]}`), /^t\.json:3: step 2: close: "fd" must be a whole number, not "3"; see traces\/trace\.schema\.json$/],
    ['a nstype that is a number', step(`{"event":{"type":"setns","task":1,"fd":3,"nstype":0},"result":${OK},"violations":[]}`), /^t\.json:3: step 2: setns: unknown nstype 0/],
    ['an unknown event field', step(`{"event":{"type":"close","task":1,"fd":3,"how":1},"result":${OK},"violations":[]}`), /^t\.json:3: step 2: the close event has an unknown field "how"; its fields are type, task, fd$/],
    ['a field named __proto__', step(`{"event":{"type":"close","task":1,"fd":3,"__proto__":{"x":1}},"result":${OK},"violations":[]}`), /^t\.json:3: step 2: the close event has an unknown field "__proto__"/],
    ['a missing step field', step(`{"event":${MKDIR},"result":${OK}}`), /^t\.json:3: step 2: a step lacks the field "violations"; add it/],
    ['a bad result', step(`{"event":${MKDIR},"result":0,"violations":[]}`), /^t\.json:3: step 2: "result" is not a result; a result is null, /],
    ['an unknown errno', step(`{"event":${MKDIR},"result":{"ok":false,"errno":"EWHAT","check":"x"},"violations":[]}`), /^t\.json:3: step 2: unknown errno "EWHAT"; known: EPERM/],
    ['an unknown invariant', step(`{"event":${MKDIR},"result":${OK},"violations":[{"invariant":"nope","objects":[],"message":"m"}]}`), /^t\.json:3: step 2: unknown invariant "nope"; known: no-mnt-ns-loop/],
    ['an unknown object kind', step(`{"event":${MKDIR},"result":${OK},"violations":[{"invariant":"no-leak","objects":[{"kind":"inode","id":1}],"message":"m"}]}`), /^t\.json:3: step 2: unknown object kind "inode"; known: task/],
    ['violations without a result', step(`{"event":${MKDIR},"result":null,"violations":[{"invariant":"no-leak","objects":[],"message":"m"}]}`), /^t\.json:3: step 2: violations under a step with no recorded result/],
    ['a step that is no object', step('3'), /^t\.json:2: step 2 must be an object/],
  ])('%s', (_what, text, message) => {
    const got = error(text);
    expect(got).toMatch(message);
    expect(got).not.toContain('\n');
  });

  it('names the line of the step in a trace laid out by another tool', () => {
    const pretty = JSON.stringify(
      { format: 'mntns-trace', version: 2, steps: [{ event: { type: 'close', task: 1, fd: 3 }, result: null, violations: [] }, { event: { type: 'close', task: 1, fd: -1 }, result: null, violations: [] }] },
      null,
      2,
    );
    const line = pretty.split('\n').findIndex((text) => text.includes('-1')) + 1;
    // The step object opens four lines above the bad fd: `{`, `"event": {`, type, task.
    expect(error(pretty)).toMatch(new RegExp(`^t\\.json:${line - 4}: step 2: close: "fd" must be a whole number`));
  });
});
