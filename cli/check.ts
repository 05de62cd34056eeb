// `mntns check`: the verification suite. Exit 0 when every invariant held, 1 on a violation (the
// shrunk trace is printed and saved, with the command that replays it), 2 on bad usage.
// Ctrl-C stops between chunks of runs; what was found so far is printed and saved.
import { join } from 'node:path';
import { isSeededBugId, SEEDED_BUG_IDS } from '../model/index.js';
import type { CheckResult, CheckSettings, TraceStep, Violation } from '../properties/index.js';
import { DEFAULT_MAX_COMMANDS, DEFAULT_RUNS, DEFAULT_SEED, FEATURES, runCheck } from '../properties/index.js';
import type { Feature } from '../properties/index.js';
import { formatStep, MODEL_PROFILE, saveTrace, TRACE_FORMAT, TRACE_VERSION } from '../traces/index.js';
import { PROTOCOL_DEFAULT_BUDGET, protocolRecords, protocolsHeld, protocolSummaryLines, runProtocolChecks } from '../protocols/index.js';
import { progressReporter } from './progress.js';
import { EXIT_HELD, EXIT_VIOLATED, integer, parse, UsageError } from './usage.js';

export const DEFAULT_FAILURES_DIR = '.mntns/failures';

/** The check's settings as the command line gives them, and what only the command line has. */
export interface CheckOptions extends Pick<CheckSettings, 'seed' | 'runs' | 'timeLimitMs' | 'bug' | 'maxCommands' | 'stats'> {
  readonly json: boolean;
  readonly failuresDir: string;
}

export function parseCheckOptions(args: readonly string[]): CheckOptions {
  const { values } = parse('check', args, {
    seed: { type: 'string' },
    runs: { type: 'string' },
    'time-limit': { type: 'string' },
    mutant: { type: 'string' },
    'max-commands': { type: 'string' },
    stats: { type: 'boolean' },
    json: { type: 'boolean' },
    'failures-dir': { type: 'string' },
  });
  const mutant = values.mutant;
  if (mutant !== undefined && !isSeededBugId(mutant)) {
    throw new UsageError(`mntns check: unknown --mutant "${mutant}"; one of: ${SEEDED_BUG_IDS.join(', ')}`);
  }
  const timeLimit = integer('check', 'time-limit', values['time-limit'], 0, 1, 86_400);
  return {
    seed: integer('check', 'seed', values.seed, DEFAULT_SEED, -2_147_483_648, 2_147_483_647),
    runs: integer('check', 'runs', values.runs, DEFAULT_RUNS, 1, 100_000_000),
    timeLimitMs: timeLimit === 0 ? null : timeLimit * 1000,
    bug: mutant ?? null,
    maxCommands: integer('check', 'max-commands', values['max-commands'], DEFAULT_MAX_COMMANDS, 1, 10_000),
    stats: values.stats === true,
    json: values.json === true,
    failuresDir: values['failures-dir'] ?? DEFAULT_FAILURES_DIR,
  };
}

export function traceFileName(options: Pick<CheckOptions, 'seed' | 'bug'>, stage: 'raw' | 'shrunk'): string {
  return `${options.bug ?? 'model'}-seed${options.seed}-${stage}.trace.json`;
}

function summary(result: CheckResult, savedAs: string | null): string[] {
  const lines: string[] = [];
  const what = result.bug === null ? 'the model' : `the model with seeded bug ${result.bug}`;
  const seconds = (result.elapsedMs / 1000).toFixed(1);
  lines.push(`mntns check: ${what} (${MODEL_PROFILE}), seed ${result.seed}`);
  lines.push(
    `explored ${result.runsDone} random interleavings (of ${result.runsPlanned} planned, up to ${result.maxCommands} syscalls each), ${result.events} events, in ${seconds}s`,
  );
  lines.push(`invariants checked after every event: ${result.invariants.join(', ')}`);
  if (result.stoppedBy === 'time-limit') lines.push('stopped by --time-limit before the planned runs');
  if (result.stoppedBy === 'interrupted') lines.push('interrupted (Ctrl-C): the figures above are what ran');
  if (result.features !== null) {
    lines.push('deep states reached (runs reaching each):');
    for (const [feature, text] of Object.entries(FEATURES)) {
      const count = result.features[feature as Feature];
      const percent = result.runsDone === 0 ? 0 : (100 * count) / result.runsDone;
      lines.push(`  ${percent.toFixed(1).padStart(5)}%  ${String(count).padStart(6)}  ${text}`);
    }
  }
  const found = result.counterexample;
  if (found === null) {
    if (result.stoppedBy !== 'interrupted') lines.push(`every invariant held after all ${result.events} events`);
    return lines;
  }
  const fired = [...new Set(found.violations.map((violation) => violation.invariant))];
  lines.push('');
  lines.push(`VIOLATED: ${fired.join(', ')} — found at run ${found.run} after ${(found.msToFind / 1000).toFixed(2)}s`);
  for (const violation of found.violations.slice(0, 8)) lines.push(`  ${violation.invariant}: ${violation.message}`);
  if (found.violations.length > 8) lines.push(`  ... and ${found.violations.length - 8} more`);
  lines.push('');
  lines.push(`shortest trace found (${found.steps.length} events, shrunk from ${found.rawLength}):`);
  found.steps.forEach((step, index) => lines.push(`  ${String(index + 1).padStart(3)}  ${formatStep(step.event, step.result)}`));
  if (savedAs !== null) {
    lines.push('');
    lines.push(`saved to ${savedAs}`);
    lines.push(`replay it with: npx mntns replay ${savedAs}`);
  }
  return lines;
}

export async function checkCommand(args: readonly string[]): Promise<number> {
  const options = parseCheckOptions(args);
  let interrupted = false;
  const onInterrupt = (): void => {
    interrupted = true;
  };
  process.on('SIGINT', onInterrupt);
  const progress = progressReporter('mntns check');
  const save = (stage: 'raw' | 'shrunk', steps: readonly TraceStep[], violations: readonly Violation[]): string => {
    const path = join(options.failuresDir, traceFileName(options, stage));
    saveTrace(path, {
      format: TRACE_FORMAT,
      version: TRACE_VERSION,
      profile: MODEL_PROFILE,
      seed: options.seed,
      bug: options.bug,
      steps,
      violations,
    });
    return path;
  };
  let result: CheckResult;
  try {
    result = await runCheck({
      seed: options.seed,
      runs: options.runs,
      timeLimitMs: options.timeLimitMs,
      bug: options.bug,
      maxCommands: options.maxCommands,
      stats: options.stats,
      onProgress: (update) => progress.update(update),
      shouldStop: () => interrupted,
      onRawCounterexample: (steps, violations) => {
        save('raw', steps, violations);
      },
    });
  } finally {
    progress.done();
    process.off('SIGINT', onInterrupt);
  }
  const savedAs = result.counterexample === null ? null : save('shrunk', result.counterexample.steps, result.counterexample.violations);
  const protocols = runProtocolChecks({ ...PROTOCOL_DEFAULT_BUDGET, seed: options.seed });
  if (options.json) process.stdout.write(`${JSON.stringify({ ...result, elapsedMs: undefined, timing: { elapsedMs: result.elapsedMs }, savedAs, protocols: protocolRecords(protocols) }, null, 2)}\n`);
  else process.stdout.write(`${[...summary(result, savedAs), ...protocolSummaryLines(protocols)].join('\n')}\n`);
  if (result.counterexample !== null || !protocolsHeld(protocols)) return EXIT_VIOLATED;
  return interrupted ? 130 : EXIT_HELD;
}
