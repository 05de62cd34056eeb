// Traces for the codec tests: real ones, made by running generated command sequences through the
// model (with and without seeded bugs, so that violations occur), and synthetic ones whose events
// carry every event type with awkward strings, for what the generators' small vocabulary never says.
import fc from 'fast-check';
import type { Event, Result, SeededBugId } from '../model/index.js';
import {
  CAPABILITIES,
  ERRNOS,
  EVENT_TYPES,
  initialState,
  MOUNT_ATTRS,
  PROPAGATION_TYPES,
  SEEDED_BUG_IDS,
  SETNS_TYPES,
  step,
} from '../model/index.js';
import type { Violation } from '../properties/index.js';
import { checkInvariants, checkStepInvariants, commands, resolveCommand, runCommands } from '../properties/index.js';
import type { RecordedStep, Trace } from './trace.js';
import { makeTrace } from './trace.js';
import type { Field } from './validate.js';
import { EVENT_FIELDS, EVENT_FLAGS, FIELD_KINDS, MAX_ID } from './validate.js';
import { KNOWN_INVARIANTS, OBJECT_KINDS } from './vocabulary.js';

/** One line of printable text without blanks at either end (what a header value can hold). */
export const headerText = fc.stringMatching(/^[!-~](?:[ -~]{0,30}[!-~])?$/);
/** Text without line breaks: a message or a check. */
const lineText = fc.string({ unit: 'grapheme', maxLength: 40 }).map((text) => text.replace(/[\r\n\u2028\u2029]/g, '_'));

const header = fc.record({
  seed: fc.option(fc.integer(), { nil: null }),
  origin: fc.option(headerText, { nil: null }),
  profile: fc.oneof(fc.constant('linux-6.18'), headerText),
});

const bugs: fc.Arbitrary<SeededBugId | null> = fc.constantFrom(null, ...SEEDED_BUG_IDS);

/** A trace as `mntns check` saves one: run until the first violation, which the last step records. */
export const checkedTrace: fc.Arbitrary<Trace> = fc.record({ sequence: commands(40), bug: bugs, header }).map(({ sequence, bug, header: fields }) => {
  const outcome = runCommands(sequence, bug === null ? {} : { model: { bug } });
  const last = outcome.steps.length - 1;
  const steps = outcome.steps.map((recorded, index) => ({
    ...recorded,
    violations: index === last && outcome.failure !== null ? outcome.failure.violations : [],
  }));
  return makeTrace({ ...fields, bug, steps });
});

/**
 * A trace run on past violations, every step recording its own verdict (so several steps carry
 * `!` lines), with some results left unrecorded as in a hand-written trace.
 */
export const recordedTrace: fc.Arbitrary<Trace> = fc
  .record({ sequence: commands(40), bug: bugs, header, unrecordedEvery: fc.integer({ min: 0, max: 6 }) })
  .map(({ sequence, bug, header: fields, unrecordedEvery }) => {
    let state = initialState();
    const steps: RecordedStep[] = [];
    for (const [index, command] of sequence.entries()) {
      const event = resolveCommand(state, command);
      let outcome;
      try {
        outcome = step(state, event, bug === null ? {} : { bug });
      } catch {
        break; // a seeded bug can break the model past its first violation
      }
      const violations: Violation[] =
        outcome.state === state ? [] : [...checkInvariants(outcome.state), ...checkStepInvariants(state, outcome.state, event)];
      state = outcome.state;
      const unrecorded = unrecordedEvery > 0 && index % unrecordedEvery === 0;
      steps.push({ event, result: unrecorded ? null : outcome.result, violations: unrecorded ? [] : violations });
    }
    return makeTrace({ ...fields, bug, steps });
  });

const id = fc.integer({ min: 0, max: MAX_ID });
const dirfd = fc.oneof(fc.constant('AT_FDCWD' as const), id);
const anyString = fc.string({ unit: 'binary', maxLength: 20 });
const someOf = (names: readonly string[]): fc.Arbitrary<string[]> => fc.array(fc.constantFrom(...names), { maxLength: 4 });

function fieldValue(field: Field, type: Event['type']): fc.Arbitrary<unknown> {
  switch (FIELD_KINDS[field]) {
    case 'id':
      return id;
    case 'string':
      return anyString;
    case 'dirfd':
      return dirfd;
    case 'cmd':
      return fc.constant('FSCONFIG_CMD_CREATE');
    case 'propagation':
      return fc.option(fc.constantFrom(...PROPAGATION_TYPES), { nil: null });
    case 'attrs':
      return someOf(MOUNT_ATTRS);
    case 'string-or-null':
      return fc.option(anyString, { nil: null });
    case 'ids':
      return fc.array(id, { maxLength: 4 });
    case 'nstype':
      return fc.constantFrom(...SETNS_TYPES);
    case 'capabilities':
      return someOf(CAPABILITIES);
    case 'flags':
      return someOf(EVENT_FLAGS[type] ?? []);
  }
}

/** Any well-typed event, of every type, with any strings. */
export const anyEvent: fc.Arbitrary<Event> = fc.constantFrom(...EVENT_TYPES).chain((type) =>
  fc.record(Object.fromEntries([['type', fc.constant(type)], ...EVENT_FIELDS[type].map((field) => [field, fieldValue(field, type)])])),
) as fc.Arbitrary<unknown> as fc.Arbitrary<Event>;

const anyResult: fc.Arbitrary<Result> = fc.oneof(
  fc.record({ ok: fc.constant(true as const), value: fc.integer({ min: -1, max: 1 << 20 }) }),
  fc.record({ ok: fc.constant(true as const), value: fc.nat(), fds: fc.array(id, { maxLength: 3 }) }),
  fc.record({ ok: fc.constant(false as const), errno: fc.constantFrom(...ERRNOS), check: lineText }),
) as fc.Arbitrary<unknown> as fc.Arbitrary<Result>;

const anyViolation: fc.Arbitrary<Violation> = fc.record({
  invariant: fc.constantFrom(...KNOWN_INVARIANTS),
  objects: fc.array(fc.record({ kind: fc.constantFrom(...OBJECT_KINDS), id: fc.nat() }), { maxLength: 3 }),
  message: fc.oneof(lineText, fc.constantFrom('ends like a list @ mount:5', 'ends in @', '')),
});

const anyStep: fc.Arbitrary<RecordedStep> = fc.oneof(
  fc.record({ event: anyEvent, result: anyResult, violations: fc.array(anyViolation, { maxLength: 2 }) }),
  fc.record({ event: anyEvent, result: fc.constant(null), violations: fc.constant([]) }),
);

export const syntheticTrace: fc.Arbitrary<Trace> = fc
  .record({ header, bug: bugs, steps: fc.array(anyStep, { maxLength: 8 }) })
  .map(({ header: fields, bug, steps }) => makeTrace({ ...fields, bug, steps }));
