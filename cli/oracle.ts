// `mntns oracle TRACE`: replay a saved trace on the model and on the real kernel side by side (the
// harness of oracle/harness.c, inside its own private mount and pid namespaces) and print, per
// step, agreement or the difference. Exit 0 when every step agrees, 1 on a disagreement, 2 when the
// kernel oracle cannot run here or the trace is bad.
import { join } from 'node:path';
import type { Event } from '../model/index.js';
import { initialState, step } from '../model/index.js';
import { formatCall, formatStep, makeTrace, traceStore } from '../traces/index.js';
import type { Comparison } from '../oracle/index.js';
import { compareWithKernel, fuzzAgainstKernel, oracleUnavailable, unexplained } from '../oracle/index.js';
import { DEFAULT_MAX_COMMANDS, DEFAULT_SEED } from '../properties/index.js';
import { EXIT_HELD, EXIT_VIOLATED, integer, parse, UsageError } from './usage.js';

/** The one place traces are read for the oracle. */
function loadEvents(file: string): readonly Event[] {
  return traceStore.load(file).steps.map((recorded) => recorded.event);
}

export function renderComparison(comparison: Comparison): string {
  const lines: string[] = [];
  for (const entry of comparison.steps) {
    const verdict = entry.differences.length === 0 ? 'agree' : entry.deviations.length > 0 ? 'differ (deliberate deviation)' : 'DIFFER';
    const kernel = entry.kernel === null ? 'not run' : entry.kernel.result;
    const results = entry.model.result === kernel ? `= ${kernel}` : `= model ${entry.model.result}, kernel ${kernel}`;
    lines.push(`${String(entry.index).padStart(4)}  [pid ${entry.event.task}] ${formatCall(entry.event)} ${results}   ${verdict}`);
    for (const difference of entry.differences) lines.push(`        ${difference}`);
    for (const deviation of entry.deviations) lines.push(`        deviation ${deviation.name}: ${deviation.reason}`);
  }
  if (comparison.fatal !== null) lines.push(comparison.fatal);
  const differing = comparison.steps.filter(unexplained).length;
  const deviating = comparison.steps.filter((entry) => entry.differences.length > 0 && entry.deviations.length > 0).length;
  const deviated = deviating === 0 ? '' : `; ${deviating} step(s) differ by a deliberate deviation`;
  lines.push(
    comparison.agree && deviating === 0
      ? `model and kernel agree on all ${comparison.steps.length} steps`
      : comparison.agree
        ? `model and kernel agree on every step no deliberate deviation explains${deviated}`
        : `model and kernel differ on ${differing} of ${comparison.steps.length} steps${deviated}`,
  );
  return `${lines.join('\n')}\n`;
}

export async function oracleCommand(args: readonly string[]): Promise<number> {
  const { positionals, values } = parse(
    'oracle',
    args,
    {
      'step-timeout': { type: 'string' },
      runs: { type: 'string' },
      seed: { type: 'string' },
      'max-commands': { type: 'string' },
      'failures-dir': { type: 'string' },
    },
    1,
  );
  const file = positionals[0];
  const stepTimeoutMs = integer('oracle', 'step-timeout', values['step-timeout'], 5000, 100, 600_000);
  if (values.runs !== undefined) {
    if (file !== undefined) throw new UsageError('mntns oracle: give either a trace file or --runs N, not both');
    const unavailable = oracleUnavailable();
    if (unavailable !== null) throw new UsageError(unavailable);
    return fuzzCommand({
      runs: integer('oracle', 'runs', values.runs, 100, 1, 1_000_000),
      seed: integer('oracle', 'seed', values.seed, DEFAULT_SEED, 0, 2 ** 31 - 1),
      maxCommands: integer('oracle', 'max-commands', values['max-commands'], DEFAULT_MAX_COMMANDS, 1, 1000),
      failuresDir: values['failures-dir'] ?? '.mntns/oracle',
      stepTimeoutMs,
    });
  }
  if (file === undefined) throw new UsageError('mntns oracle: name a trace file (mntns oracle TRACE) or fuzz with mntns oracle --runs N');
  const events = loadEvents(file);
  const unavailable = oracleUnavailable();
  if (unavailable !== null) throw new UsageError(unavailable);
  process.stdout.write(`replaying ${file} on the model and on the kernel: ${events.length} events\n`);
  const comparison = await compareWithKernel(events, {}, { stepTimeoutMs });
  process.stdout.write(renderComparison(comparison));
  return comparison.agree ? EXIT_HELD : EXIT_VIOLATED;
}

interface FuzzOptions {
  readonly runs: number;
  readonly seed: number;
  readonly maxCommands: number;
  readonly failuresDir: string;
  readonly stepTimeoutMs: number;
}

/** `mntns oracle --runs N [--seed S]`: differential fuzzing, each kind of disagreement once, shrunk. */
async function fuzzCommand(options: FuzzOptions): Promise<number> {
  process.stdout.write(`differential fuzzing against the kernel: ${options.runs} runs of up to ${options.maxCommands} syscalls, seed ${options.seed}\n`);
  const found = await fuzzAgainstKernel({
    runs: options.runs,
    seed: options.seed,
    maxCommands: options.maxCommands,
    harness: { stepTimeoutMs: options.stepTimeoutMs },
    onRun: (run, disagreements) => {
      if (run % Math.max(1, Math.floor(options.runs / 10)) === 0) process.stderr.write(`oracle: ${run}/${options.runs} runs, ${disagreements} disagreement(s)\n`);
    },
  });
  let state = initialState();
  for (const disagreement of found) {
    process.stdout.write(`\nDISAGREEMENT at run ${disagreement.run} (shrunk from ${disagreement.originalLength} to ${disagreement.events.length} events):\n`);
    state = initialState();
    const steps = disagreement.events.map((event) => {
      const outcome = step(state, event, {});
      state = outcome.state;
      return { event, result: outcome.result };
    });
    steps.forEach((recorded, index) => process.stdout.write(`${String(index + 1).padStart(4)}  ${formatStep(recorded.event, recorded.result)}\n`));
    for (const difference of disagreement.step.differences) process.stdout.write(`        ${difference}\n`);
    const path = join(options.failuresDir, `oracle-seed${options.seed}-run${disagreement.run}.trace`);
    const origin = `mntns oracle --runs ${options.runs} --seed ${options.seed}, run ${disagreement.run}: model and kernel disagree`;
    traceStore.save(path, makeTrace({ seed: options.seed, origin, steps: steps.map((recorded) => ({ ...recorded, violations: [] })) }));
    process.stdout.write(`saved to ${path}; replay it with: npx mntns oracle ${path}\n`);
  }
  process.stdout.write(found.length === 0 ? `\nmodel and kernel agreed on all ${options.runs} runs\n` : `\n${found.length} kind(s) of disagreement\n`);
  return found.length === 0 ? EXIT_HELD : EXIT_VIOLATED;
}
