import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonTrace, printJsonTrace } from './json-format.js';
import { schemaText, traceSchema } from './schema.js';
import { checkedTrace, syntheticTrace } from './test-helpers.js';
import { TraceError } from './trace.js';
import { PROTOCOLS, runSchedule, schedules } from '../protocols/index.js';
import { parseAnyTrace } from './io.js';
import { recordedRun } from './protocol/campaign.js';
import { printProtocolJsonTrace } from './protocol/json-format.js';
import { makeProtocolTrace } from './protocol/trace.js';

/** The JSON form of a protocol trace of a random schedule, under a random seeded bug or none. */
const protocolJson = fc.oneof(
  ...PROTOCOLS.map((protocol) =>
    fc.tuple(schedules(protocol.actors.length, 30), fc.constantFrom(null, ...protocol.bugs)).map(([schedule, bug]) => {
      const outcome = runSchedule(protocol, schedule, bug === null ? {} : { bug });
      return printProtocolJsonTrace(makeProtocolTrace(protocol, { bug, seed: 7, steps: recordedRun(outcome.steps, outcome.failure?.violations ?? []) }), protocol);
    }),
  ),
);

type ProtocolDocument = { steps: { event: Record<string, unknown>; result: Record<string, unknown> | null; violations: Record<string, unknown>[] }[] } & Record<string, unknown>;
const PROTOCOL_BREAKS: readonly (readonly [string, (document: ProtocolDocument) => boolean])[] = [
  ['an unknown protocol', (document) => ((document.profile = 'protocol nope'), true)],
  ['a syscall seeded bug on a protocol', (document) => ((document.bug = 'mnt-ns-loop-off-by-one'), true)],
  ['an event type of no protocol step', (document) => document.steps.some((step) => ((step.event.type = 'mkdir'), true))],
  ['a task the protocol does not have', (document) => document.steps.some((step) => ((step.event.task = 9), true))],
  ['a missing event field', (document) => document.steps.some((step) => 'ns' in step.event && delete step.event.ns)],
  ['an enum field out of its names', (document) => document.steps.some((step) => 'in' in step.event && ((step.event.in = 'elsewhere'), true))],
  ['a numeric value', (document) => document.steps.some((step) => step.result?.ok === true && ((step.result.value = 0), true))],
  ['an unknown failure', (document) => document.steps.some((step) => step.result?.ok === false && ((step.result.failure = 'stuck'), true))],
  ['a syscall invariant', (document) => document.steps.some((step) => step.result !== null && step.violations.push({ invariant: 'no-leak', objects: [], message: '' }) > 0)],
  ['a syscall object kind', (document) => document.steps.some((step) => step.result !== null && step.violations.push({ invariant: 'protocol-total', objects: [{ kind: 'super_block', id: 1 }], message: '' }) > 0)],
];

const validate = new Ajv2020({ strict: true, allErrors: false }).compile(traceSchema());
const accepted = (document: unknown): boolean => validate(document);

const top =
  (field: string, value: unknown) =>
  (document: Document): boolean => {
    (document as Record<string, unknown>)[field] = value;
    return true;
  };

/** Each breaks the type of one value of a valid JSON trace. */
type Document = { steps: { event: Record<string, unknown>; result: Record<string, unknown> | null; violations: Record<string, unknown>[] }[] } & Record<string, unknown>;
const BREAKS: readonly (readonly [string, (document: Document) => boolean])[] = [
  ['the version a string', top('version', '2')],
  ['the seed a fraction', top('seed', 1.5)],
  ['an unknown seeded bug', top('bug', 'no-such-bug')],
  ['the origin a number', top('origin', 7)],
  ['steps an object', top('steps', {})],
  ['an unknown top-level field', top('extra', true)],
  ['an unknown event type', (document) => set(document, (step) => (step.event.type = 'frob'))],
  ['the task negative', (document) => set(document, (step) => (step.event.task = -1))],
  ['the task past 2^31', (document) => set(document, (step) => (step.event.task = 2 ** 31 + 1))],
  ['an extra event field', (document) => set(document, (step) => (step.event.extra = 1))],
  ['a missing event field', (document) => set(document, (step) => delete step.event.task)],
  ['an unknown flag', (document) => set(document, (step) => 'flags' in step.event && ((step.event.flags = ['MS_NOPE']), true))],
  ['a flag that is a number', (document) => set(document, (step) => 'flags' in step.event && ((step.event.flags = [1]), true))],
  ['a path that is a number', (document) => set(document, (step) => 'path' in step.event && ((step.event.path = 1), true))],
  ['a dirfd that is a string', (document) => set(document, (step) => 'dfd' in step.event && ((step.event.dfd = 'cwd'), true))],
  ['an nstype that is a number', (document) => set(document, (step) => 'nstype' in step.event && ((step.event.nstype = 0), true))],
  ['a result value that is a string', (document) => set(document, (step) => step.result?.ok === true && ((step.result.value = '0'), true))],
  ['an unknown errno', (document) => set(document, (step) => step.result?.ok === false && ((step.result.errno = 'EWHAT'), true))],
  ['a result without ok', (document) => set(document, (step) => step.result !== null && delete step.result.ok)],
  ['violations a string', (document) => set(document, (step) => ((step.violations = 'none' as unknown as []), true))],
  ['an unknown invariant', (document) => set(document, (step) => step.violations.push({ invariant: 'nope', objects: [], message: '' }) > 0)],
  ['an object id that is negative', (document) => set(document, (step) => step.violations.push({ invariant: 'no-leak', objects: [{ kind: 'mount', id: -2 }], message: '' }) > 0)],
  ['violations on an unrecorded step', (document) => set(document, (step) => ((step.result = null), step.violations.push({ invariant: 'no-leak', objects: [], message: '' }) > 0))],
];

/** Breaks the first step the change applies to (it returns false where it does not); false when none is. */
function set(document: Document, change: (step: Document['steps'][number]) => unknown): boolean {
  return document.steps.some((step) => change(step) !== false);
}

describe('the schema of the JSON form', () => {
  it('is the committed traces/trace.schema.json (regenerate it with npm run schema)', () => {
    expect(readFileSync(join(import.meta.dirname, 'trace.schema.json'), 'utf8')).toBe(schemaText());
  });

  it('accepts every trace mntns prints', () => {
    fc.assert(
      fc.property(fc.oneof(checkedTrace, syntheticTrace), (trace) => {
        const document: unknown = JSON.parse(printJsonTrace(trace));
        expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
      }),
      { numRuns: 200, seed: 4 },
    );
  });

  it('accepts every protocol trace mntns prints', () => {
    fc.assert(
      fc.property(protocolJson, (text) => {
        expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
      }),
      { numRuns: 200, seed: 6 },
    );
  });

  it.each(PROTOCOL_BREAKS)('rejects what the protocol reader rejects: %s', (_what, breakIt) => {
    let broken = 0;
    fc.assert(
      fc.property(protocolJson, (text) => {
        const document = JSON.parse(text) as ProtocolDocument;
        fc.pre(breakIt(document));
        broken++;
        expect(() => parseAnyTrace(JSON.stringify(document), 't.json')).toThrow(TraceError);
        expect(accepted(document)).toBe(false);
      }),
      { numRuns: 60, seed: 7 },
    );
    expect(broken).toBeGreaterThan(0);
  });

  it.each(BREAKS)('rejects what the reader rejects for a type reason: %s', (_what, breakIt) => {
    let broken = 0;
    fc.assert(
      fc.property(syntheticTrace, (trace) => {
        const document = JSON.parse(printJsonTrace(trace)) as Document;
        fc.pre(breakIt(document));
        broken++;
        const text = JSON.stringify(document);
        expect(() => parseJsonTrace(text, 't.json')).toThrow(TraceError);
        expect(accepted(document)).toBe(false);
      }),
      { numRuns: 60, seed: 5 },
    );
    expect(broken).toBeGreaterThan(0);
  });
});
