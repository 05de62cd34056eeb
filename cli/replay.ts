// `mntns replay TRACE`: run a saved trace through the model step by step, printing each event with
// its result, a mismatch where the result differs from the recorded one, and the invariants'
// verdict. Exit 0 when every result matches and every invariant holds, 1 otherwise.
import type { Result } from '../model/index.js';
import { checkInvariants, checkStepInvariants } from '../properties/index.js';
import { initialState, step } from '../model/index.js';
import { formatReturn, formatStep, traceStore } from '../traces/index.js';
import { EXIT_HELD, EXIT_VIOLATED, parse, UsageError } from './usage.js';

const sameResult = (a: Result, b: Result): boolean =>
  a.ok === b.ok && (a.ok ? b.ok && a.value === b.value && (a.fds ?? []).join() === (b.fds ?? []).join() : !b.ok && a.errno === b.errno);

export function replayCommand(args: readonly string[]): number {
  const { positionals } = parse('replay', args, {}, 1);
  const file = positionals[0];
  if (file === undefined) throw new UsageError('mntns replay: name a trace file, e.g. mntns replay .mntns/failures/model-seed1-shrunk.trace');
  const trace = traceStore.load(file);
  const opts = trace.bug === null ? {} : { bug: trace.bug };
  process.stdout.write(`replaying ${file}: ${trace.steps.length} events${trace.bug === null ? '' : `, seeded bug ${trace.bug}`}\n`);
  let state = initialState();
  let mismatches = 0;
  let violated = false;
  trace.steps.forEach((recorded, index) => {
    const outcome = step(state, recorded.event, opts);
    const before = state;
    state = outcome.state;
    const unrecorded = recorded.result === null; // a hand-written step: nothing to compare
    const mismatch = unrecorded || sameResult(outcome.result, recorded.result) ? '' : `   MISMATCH: recorded ${formatReturn(recorded.result)}`;
    if (mismatch !== '') mismatches++;
    process.stdout.write(`${String(index + 1).padStart(4)}  ${formatStep(recorded.event, outcome.result)}${mismatch}\n`);
    const violations = [...checkInvariants(state), ...checkStepInvariants(before, state, recorded.event)];
    for (const violation of violations) process.stdout.write(`        VIOLATED ${violation.invariant}: ${violation.message}\n`);
    if (violations.length > 0) violated = true;
  });
  process.stdout.write(
    `${mismatches === 0 ? 'every result matches the recording' : `${mismatches} result(s) differ from the recording`}; ${violated ? 'an invariant was violated' : 'every invariant held'}\n`,
  );
  return mismatches === 0 && !violated ? EXIT_HELD : EXIT_VIOLATED;
}
