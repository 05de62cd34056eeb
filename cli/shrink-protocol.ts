// `mntns shrink` of a protocol trace: its schedule (the task of each step) shrunk with the check
// loop's minimise() (protocols/check.ts) until no step, pair of steps or first steps of one task
// can go and the same invariant still breaks; the result is written like any protocol trace.
import type { AnyProtocol } from '../protocols/index.js';
import { minimise, runSchedule } from '../protocols/index.js';
import type { ProtocolTrace } from '../traces/index.js';
import { formatProtocolLine, makeProtocolTrace, protocolInvariantNames, recordedRun, saveProtocolTrace, scheduleOf, TraceError } from '../traces/index.js';
import { EXIT_HELD, UsageError } from './usage.js';

export function shrinkProtocolTrace(file: string, trace: ProtocolTrace, protocol: AnyProtocol, wanted: string | undefined, out: string): number {
  if (wanted !== undefined && !protocolInvariantNames(protocol).includes(wanted)) {
    throw new UsageError(`mntns shrink: ${protocol.name} has no invariant "${wanted}"; one of: ${protocolInvariantNames(protocol).join(', ')}`);
  }
  const opts = trace.bug === null ? {} : { bug: trace.bug };
  const schedule = scheduleOf(protocol, trace);
  const breaks = (candidate: readonly number[]): string | null => {
    const failure = runSchedule(protocol, candidate, opts).failure;
    return failure === null ? null : (failure.violations.find((violation) => wanted === undefined || violation.invariant === wanted)?.invariant ?? null);
  };
  const invariant = breaks(schedule);
  if (invariant === null) {
    throw new TraceError(`${file}: ${wanted === undefined ? 'every invariant holds after every step' : `no step breaks ${wanted}`}, so there is nothing to shrink; shrink a trace that breaks one`);
  }
  const minimal = minimise(schedule, (candidate) => breaks(candidate) === invariant);
  const outcome = runSchedule(protocol, minimal, opts);
  const steps = recordedRun(outcome.steps, outcome.failure?.violations ?? []);
  saveProtocolTrace(out, makeProtocolTrace(protocol, { seed: trace.seed, bug: trace.bug, origin: `mntns shrink ${file}`, steps }));
  const lines = [
    `mntns shrink: ${file}: ${trace.steps.length} steps -> ${steps.length}, still breaking ${invariant}`,
    ...steps.map((step, index) => `  ${String(index + 1).padStart(3)}  ${formatProtocolLine(protocol, step)}`),
    `saved to ${out}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT_HELD;
}
