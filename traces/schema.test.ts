import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonTrace, printJsonTrace } from './json-format.js';
import { schemaText, traceSchema } from './schema.js';
import { checkedTrace, syntheticTrace } from './test-helpers.js';
import { TraceError } from './trace.js';

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
