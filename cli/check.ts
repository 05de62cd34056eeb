// `mntns check`: the verification suite. First the counterexamples earlier runs saved (the failure
// database) are replayed; then the random budget runs. Exit 0 when every invariant held, 1 on a
// violation (the 1-minimal trace is printed and saved, with the command that replays it), 2 on bad
// usage or a bad saved trace. Every counterexample is saved the moment it is found and again each
// time shrinking makes it shorter, so a killed run loses nothing. Ctrl-C stops between chunks of
// runs; what was found so far is printed and saved.
import { relative } from 'node:path';
import { isSeededBugId, SEEDED_BUG_IDS } from '../model/index.js';
import type { CheckSettings, TraceStep, Violation } from '../properties/index.js';
import { DEFAULT_MAX_COMMANDS, DEFAULT_RUNS, DEFAULT_SEED, FEATURES } from '../properties/index.js';
import type { Feature } from '../properties/index.js';
import type { CampaignResult, CounterexampleSource, FailureStage, SavedFailure } from '../traces/index.js';
import {
  DEFAULT_FAILURES_DIR,
  failurePath,
  failureStem,
  formatStep,
  makeTrace,
  MODEL_PROFILE,
  retireFixed,
  runCampaign,
  savedFailures,
  traceStore,
} from '../traces/index.js';
import { parseShard } from './explore.js';
import { checkReport, DEFAULT_REPORT_DIR, semanticCoverageLines, writeReports } from '../reports/index.js';
import { PROTOCOL_SEEDED_BUGS, protocolOfBug, protocolRecords, protocolsHeld, protocolSummaryLines } from '../protocols/index.js';
import { checkProtocols, protocolDatabaseLines } from './check-protocols.js';
import { codeCoverageLines, startCodeCoverage, takeCodeCoverage } from './code-coverage.js';
import { progressReporter } from './progress.js';
import { EXIT_HELD, EXIT_VIOLATED, integer, parse, UsageError } from './usage.js';

export { DEFAULT_FAILURES_DIR };

/** The check's settings as the command line gives them, and what only the command line has. */
export interface CheckOptions extends Pick<CheckSettings, 'seed' | 'runs' | 'timeLimitMs' | 'bug' | 'maxCommands' | 'stats' | 'shard'> {
  /** A seeded bug of a protocol model, switched on in that protocol (the syscall model runs correct). */
  readonly protocolBug: string | null;
  readonly json: boolean;
  readonly failuresDir: string;
  /** Replay the failure database before the random budget (the default). */
  readonly replaySaved: boolean;
  /** Where the JSON and JUnit renderings of the result record go. */
  readonly reportDir: string;
  /** Fail (exit 1) when a check of the model that is reachable by design was never reached. */
  readonly requireCoverage: boolean;
  /** Measure c8's coverage of model/ under the run. */
  readonly codeCoverage: boolean;
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
    'skip-saved': { type: 'boolean' },
    shard: { type: 'string' },
    'report-dir': { type: 'string' },
    'require-coverage': { type: 'boolean' },
    'code-coverage': { type: 'boolean' },
  });
  const mutant = values.mutant;
  const protocolBug = mutant !== undefined && protocolOfBug(mutant) !== undefined ? mutant : null;
  if (mutant !== undefined && protocolBug === null && !isSeededBugId(mutant)) {
    const protocolBugs = PROTOCOL_SEEDED_BUGS.map((bug) => bug.id).join(', ');
    throw new UsageError(`mntns check: unknown --mutant "${mutant}"; one of: ${SEEDED_BUG_IDS.join(', ')}, or of a protocol model: ${protocolBugs}`);
  }
  const timeLimit = integer('check', 'time-limit', values['time-limit'], 0, 1, 86_400);
  return {
    seed: integer('check', 'seed', values.seed, DEFAULT_SEED, -2_147_483_648, 2_147_483_647),
    runs: integer('check', 'runs', values.runs, DEFAULT_RUNS, 1, 100_000_000),
    timeLimitMs: timeLimit === 0 ? null : timeLimit * 1000,
    bug: mutant !== undefined && isSeededBugId(mutant) ? mutant : null,
    protocolBug,
    maxCommands: integer('check', 'max-commands', values['max-commands'], DEFAULT_MAX_COMMANDS, 1, 10_000),
    stats: values.stats === true,
    json: values.json === true,
    failuresDir: values['failures-dir'] ?? DEFAULT_FAILURES_DIR,
    replaySaved: values['skip-saved'] !== true,
    shard: parseShard('check', values.shard),
    reportDir: values['report-dir'] ?? DEFAULT_REPORT_DIR,
    requireCoverage: values['require-coverage'] === true,
    codeCoverage: values['code-coverage'] === true,
  };
}

/** The command that reproduces the campaign, for a trace's origin line. */
function campaignCommand(options: CheckOptions): string {
  const mutant = options.bug === null ? '' : ` --mutant ${options.bug}`;
  const length = options.maxCommands === DEFAULT_MAX_COMMANDS ? '' : ` --max-commands ${options.maxCommands}`;
  const shard = options.shard === null || options.shard === undefined ? '' : ` --shard ${options.shard.index}/${options.shard.count}`;
  return `mntns check --seed ${options.seed}${mutant}${length}${shard}`;
}

function summary(result: CampaignResult, options: CheckOptions, retired: readonly string[], savedAs: string | null): string[] {
  const lines: string[] = [];
  const what = result.bug === null ? 'the model' : `the model with seeded bug ${result.bug}`;
  const seconds = (result.elapsedMs / 1000).toFixed(1);
  const shard = options.shard === null || options.shard === undefined ? '' : `, shard ${options.shard.index}/${options.shard.count}`;
  lines.push(`mntns check: ${what} (${MODEL_PROFILE}), seed ${result.seed}${shard}`);
  if (result.replayed.length > 0) {
    const failing = result.replayed.filter((replayed) => replayed.stillFails).length;
    lines.push(`replayed ${result.replayed.length} saved counterexample(s) from ${options.failuresDir} first: ${failing} still fail(s)`);
  }
  for (const path of retired) lines.push(`  ${path} no longer fails: moved to ${options.failuresDir}/fixed/`);
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
  lines.push(
    found.source.kind === 'saved'
      ? `VIOLATED: ${fired.join(', ')} — a saved counterexample still fails: ${found.source.name}`
      : `VIOLATED: ${fired.join(', ')} — found at run ${found.run} after ${(found.msToFind / 1000).toFixed(2)}s`,
  );
  for (const violation of found.violations.slice(0, 8)) lines.push(`  ${violation.invariant}: ${violation.message}`);
  if (found.violations.length > 8) lines.push(`  ... and ${found.violations.length - 8} more`);
  lines.push('');
  const how = found.minimal ? '1-minimal: no single event or argument can go' : 'shrinking stopped before it was 1-minimal';
  lines.push(`shortest trace found (${found.steps.length} events, shrunk from ${found.rawLength}; ${how}):`);
  found.steps.forEach((recorded, index) => lines.push(`  ${String(index + 1).padStart(3)}  ${formatStep(recorded.event, recorded.result)}`));
  if (savedAs !== null) {
    lines.push('');
    lines.push(`saved to ${savedAs}`);
    lines.push(`replay it with: npx mntns replay ${savedAs}`);
    lines.push(`keep it as a regression test with: npx mntns corpus promote ${savedAs}`);
  }
  return lines;
}

export async function checkCommand(args: readonly string[]): Promise<number> {
  const options = parseCheckOptions(args);
  if (options.codeCoverage) startCodeCoverage();
  const saved: SavedFailure[] = options.replaySaved ? savedFailures(options.failuresDir, options.bug, traceStore) : [];
  const stemOf = (source: CounterexampleSource): string =>
    source.kind === 'saved'
      ? (saved.find((failure) => failure.path === source.name)?.stem ?? source.name)
      : `${failureStem(options.bug, options.seed)}${options.shard === null || options.shard === undefined ? '' : `-shard${options.shard.index}of${options.shard.count}`}`;
  const save = (
    stage: FailureStage,
    source: CounterexampleSource,
    steps: readonly TraceStep[],
    violations: readonly Violation[],
    found?: { readonly run: number; readonly rawLength: number },
  ): string => {
    const path = failurePath(options.failuresDir, stemOf(source), stage);
    const where = source.kind === 'saved' ? `replayed from ${source.name}` : campaignCommand(options);
    const run = found === undefined || source.kind === 'saved' ? '' : `, run ${found.run}`;
    const origin = found === undefined ? `${where}, ${stage === 'raw' ? 'as found' : 'shrinking'}` : `${where}${run}, shrunk from ${found.rawLength} events`;
    traceStore.save(
      path,
      makeTrace({
        seed: options.seed,
        bug: options.bug,
        origin,
        steps: steps.map((recorded, index) => ({ ...recorded, violations: index === steps.length - 1 ? violations : [] })),
      }),
    );
    return path;
  };

  let interrupted = false;
  const onInterrupt = (): void => {
    interrupted = true;
  };
  process.on('SIGINT', onInterrupt);
  const progress = progressReporter('mntns check');
  let result: CampaignResult;
  try {
    result = await runCampaign({
      seed: options.seed,
      runs: options.runs,
      timeLimitMs: options.timeLimitMs,
      bug: options.bug,
      maxCommands: options.maxCommands,
      stats: options.stats,
      shard: options.shard ?? null,
      saved: saved.map((failure) => ({ name: failure.path, events: failure.trace.steps.map((recorded) => recorded.event) })),
      onProgress: (update) => progress.update(update),
      shouldStop: () => interrupted,
      onRawCounterexample: (steps, violations) => {
        save('raw', { kind: 'random' }, steps, violations);
      },
      onShrunk: (steps, violations, source) => {
        save('shrunk', source, steps, violations);
      },
    });
  } finally {
    progress.done();
    process.off('SIGINT', onInterrupt);
  }
  const retired = retireFixed(options.failuresDir, result.replayed, saved);
  const found = result.counterexample;
  const savedAs = found === null ? null : save('shrunk', found.source, found.steps, found.violations, found);
  const protocolRuns = checkProtocols({ seed: options.seed, bug: options.protocolBug, failuresDir: options.failuresDir, replaySaved: options.replaySaved });
  const protocols = protocolRuns.map((run) => run.result);
  const measured = options.codeCoverage ? await takeCodeCoverage(`${campaignCommand(options)} --runs ${options.runs}`) : null;
  const report = { ...checkReport(result, options, savedAs, protocolRuns), codeCoverage: measured };
  const semantic = report.deterministic.semanticCoverage ?? null;
  const reports = writeReports(report, options.reportDir);
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          ...result,
          elapsedMs: undefined,
          timing: { elapsedMs: result.elapsedMs },
          savedAs,
          retired,
          reports,
          protocols: protocolRecords(protocols).map((record, index) => ({ ...record, savedAs: protocolRuns[index]?.savedAs ?? null, retired: protocolRuns[index]?.retired ?? [] })),
          semanticCoverage: semantic,
          codeCoverage: measured,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    const lines = summary(result, options, retired.map((path) => relative('.', path) || path), savedAs);
    const coverage = [...(semantic === null ? [] : semanticCoverageLines(semantic)), ...(measured === null ? [] : codeCoverageLines(measured))];
    process.stdout.write(`${[...lines, ...coverage, ...protocolSummaryLines(protocols), ...protocolDatabaseLines(protocolRuns, options.failuresDir), `report: ${reports.join(', ')}`].join('\n')}\n`);
  }
  const uncovered = options.requireCoverage && semantic !== null && semantic.unreached.length > 0;
  if (uncovered) {
    process.stderr.write(`mntns check --require-coverage: ${semantic.unreached.length} check(s) of the model were never reached (the summary and the report's semanticCoverage.unreached list them); raise --runs, or reach them from the generators\n`);
  }
  if (found !== null || !protocolsHeld(protocols) || uncovered) return EXIT_VIOLATED;
  return interrupted ? 130 : EXIT_HELD;
}
