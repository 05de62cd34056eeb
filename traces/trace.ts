// What a trace is, independent of how it is written down: a header (format version, model profile,
// seed, seeded bug, where it came from) and the events in order, each with the result and the
// invariant verdict recorded when the trace was made. Two codecs write the same Trace: the line
// format (traces/line-format.ts, read and written by hand, like strace) and its JSON form
// (traces/json-format.ts, with the schema traces/trace.schema.json, for tools).
import type { Event, Result, SeededBugId } from '../model/index.js';
import type { Violation } from '../properties/index.js';

/** The format version this mntns writes; it reads every version up to this one. */
export const TRACE_VERSION = 2;
export const TRACE_FORMAT = 'mntns-trace';
/** The model a trace was recorded against: the kernel it follows. */
export const MODEL_PROFILE = 'linux-6.18';

export interface RecordedStep {
  readonly event: Event;
  /** The result the model gave when the trace was recorded; null where none was recorded (a hand-written step). */
  readonly result: Result | null;
  /**
   * The invariants violated after this step when it was recorded: empty when every invariant held.
   * Meaningful only where `result` is recorded; a step without a recorded result has none.
   */
  readonly violations: readonly Violation[];
}

export interface Trace {
  readonly version: number;
  readonly profile: string;
  /** The campaign seed that found it, where a campaign did. */
  readonly seed: number | null;
  /** The seeded bug the model ran with, or null for the model itself. */
  readonly bug: SeededBugId | null;
  /** Where the trace came from, in words: "mntns check --seed 7, run 16, shrunk from 22 events". */
  readonly origin: string | null;
  readonly steps: readonly RecordedStep[];
}

/** A user error in a trace: one line naming the place (`file:line`) and the fix. */
export class TraceError extends Error {
  override readonly name = 'TraceError';
}

/** A trace of the given steps with the current version and profile. */
export function makeTrace(fields: Partial<Omit<Trace, 'steps' | 'version'>> & Pick<Trace, 'steps'>): Trace {
  return {
    version: TRACE_VERSION,
    profile: fields.profile ?? MODEL_PROFILE,
    seed: fields.seed ?? null,
    bug: fields.bug ?? null,
    origin: fields.origin ?? null,
    steps: fields.steps,
  };
}

/** The invariants violated at the end of the trace (after its last recorded step). */
export function finalViolations(trace: Trace): readonly Violation[] {
  return trace.steps.at(-1)?.violations ?? [];
}
