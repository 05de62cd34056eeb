// `mntns shrink TRACE`: shrink a hand-written or imported trace that breaks an invariant to a
// 1-minimal one (no single event can go, no single argument can be simpler), saving each smaller
// trace as it is found. Exit 0 with the shrunk trace written, 2 when the trace breaks nothing.
import { basename, dirname, join } from 'node:path';
import { INVARIANT_NAMES } from '../properties/index.js';
import { firstViolated, formatStep, loadAnyTrace, makeTrace, recordSteps, shrinkEvents, TraceError, traceStore } from '../traces/index.js';
import { shrinkProtocolTrace } from './shrink-protocol.js';
import { EXIT_HELD, parse, UsageError } from './usage.js';

/** Where the shrunk trace of `file` goes by default: beside it, with -min before the extension. */
export function minimalPath(file: string): string {
  const name = basename(file).replace(/(-raw|-shrunk)?\.trace(\.json)?$/, '');
  return join(dirname(file), `${name}-min.trace`);
}

export function shrinkCommand(args: readonly string[]): number {
  const { values, positionals } = parse('shrink', args, { invariant: { type: 'string' }, out: { type: 'string' } }, 1);
  const file = positionals[0];
  if (file === undefined) throw new UsageError('mntns shrink: name a trace file, e.g. mntns shrink my-bug.trace');
  const wanted = values.invariant;
  const loaded = loadAnyTrace(file);
  if (loaded.kind === 'protocol') return shrinkProtocolTrace(file, loaded.trace, loaded.protocol, wanted, values.out ?? minimalPath(file));
  if (wanted !== undefined && !INVARIANT_NAMES.includes(wanted)) {
    throw new UsageError(`mntns shrink: unknown --invariant "${wanted}"; one of: ${INVARIANT_NAMES.join(', ')}`);
  }
  const trace = traceStore.load(file);
  const model = trace.bug === null ? {} : { bug: trace.bug };
  const events = trace.steps.map((recorded) => recorded.event);
  const invariant = wanted ?? firstViolated(events, model);
  if (invariant === null) {
    throw new TraceError(`${file}: every invariant holds after every step, so there is nothing to shrink; shrink a trace that breaks one`);
  }
  const out = values.out ?? minimalPath(file);
  const write = (shrunk: readonly (typeof events)[number][]): void => {
    const steps = recordSteps(shrunk, model);
    traceStore.save(out, makeTrace({ ...trace, origin: `mntns shrink ${file}`, steps: steps.map((recorded, index) => (index === steps.length - 1 ? recorded : { ...recorded, violations: [] })) }));
  };
  let result;
  try {
    result = shrinkEvents(events, { model, invariant, onProgress: write });
  } catch {
    throw new TraceError(`${file}: no step breaks ${invariant}; name an invariant the trace breaks with --invariant`);
  }
  write(result.events);
  const lines = [
    `mntns shrink: ${file}: ${events.length} events -> ${result.events.length}, still breaking ${invariant} (${result.runs} model runs)`,
    result.minimal ? '1-minimal: removing any single event or simplifying any single argument no longer breaks it' : 'stopped before it was 1-minimal',
    ...recordSteps(result.events, model).map((recorded, index) => `  ${String(index + 1).padStart(3)}  ${formatStep(recorded.event, recorded.result ?? { ok: true, value: 0 })}`),
    `saved to ${out}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT_HELD;
}
