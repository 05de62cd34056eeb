import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonTrace, printJsonTrace } from './json-format.js';
import { parseTrace, printTrace } from './line-format.js';
import { checkedTrace, recordedTrace, syntheticTrace } from './test-helpers.js';
import type { Trace } from './trace.js';

const codecs = [
  ['the line format', (trace: Trace) => parseTrace(printTrace(trace), 't.trace')],
  ['the JSON form', (trace: Trace) => parseJsonTrace(printJsonTrace(trace), 't.trace.json')],
] as const;

describe.each(codecs)('%s', (_name, roundTrip) => {
  it('reads back every trace mntns check saves, with its results and final violations', () => {
    let violated = 0;
    fc.assert(
      fc.property(checkedTrace, (trace) => {
        if (trace.steps.some((step) => step.violations.length > 0)) violated++;
        expect(roundTrip(trace)).toEqual(trace);
      }),
      { numRuns: 150, seed: 1 },
    );
    expect(violated).toBeGreaterThan(0); // seeded bugs made some of the traces counterexamples
  });

  it('reads back traces with violations on many steps and unrecorded results', () => {
    let violated = 0;
    let unrecorded = 0;
    fc.assert(
      fc.property(recordedTrace, (trace) => {
        if (trace.steps.filter((step) => step.violations.length > 0).length > 1) violated++;
        if (trace.steps.some((step) => step.result === null)) unrecorded++;
        expect(roundTrip(trace)).toEqual(trace);
      }),
      { numRuns: 100, seed: 2 },
    );
    expect(violated).toBeGreaterThan(0);
    expect(unrecorded).toBeGreaterThan(0);
  });

  it('reads back every event type with any strings, dirfds, flag lists, fd lists and violation texts', () => {
    fc.assert(
      fc.property(syntheticTrace, (trace) => {
        expect(roundTrip(trace)).toEqual(trace);
      }),
      { numRuns: 1000, seed: 3 },
    );
  });
});
