// `mntns oracle --runs N [--seed S]`: a differential campaign, the model against the running
// kernel. Prints the campaign record: runs and events, per modelled syscall the steps compared and
// the kernel's outcomes with their agreement, the syscalls never run, the steps each deliberate
// deviation explains, and each kind of unexplained disagreement with the runs that met it, shrunk
// and saved the moment it is found. Writes the result record (JSON + JUnit) under --report-dir.
// Exit 1 on any unexplained disagreement, 130 when Ctrl-C stopped it first, 0 otherwise.
import { release } from 'node:os';
import { join } from 'node:path';
import type { Compare, FoundDisagreement, OracleCampaignResult } from '../oracle/index.js';
import { runOracleCampaign } from '../oracle/index.js';
import { oracleReport, writeReports } from '../reports/index.js';
import type { OracleOutcomeFigure, RunReport } from '../reports/index.js';
import { formatStep, makeTrace, traceStore } from '../traces/index.js';
import { progressReporter } from './progress.js';
import { EXIT_HELD, EXIT_VIOLATED } from './usage.js';

export interface OracleCampaignOptions {
  readonly runs: number;
  readonly seed: number;
  readonly maxCommands: number;
  readonly failuresDir: string;
  readonly reportDir: string;
  readonly stepTimeoutMs: number;
}

export interface CampaignIo {
  readonly out: (text: string) => void;
  readonly progress: NodeJS.WriteStream;
  /** The replay on both sides; the kernel's (compareWithKernel) unless given. */
  readonly compare?: Compare;
}

export interface CampaignOutcome {
  readonly code: number;
  readonly result: OracleCampaignResult;
  readonly report: RunReport;
  readonly reportPaths: readonly string[];
  /** Kind of disagreement -> the file its shrunk trace was saved to. */
  readonly savedAs: Readonly<Record<string, string>>;
}

const EXIT_INTERRUPTED = 130;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;
const plural = (count: number, one: string): string => `${count} ${one}${count === 1 ? '' : 's'}`;

function saveDisagreement(options: OracleCampaignOptions, found: FoundDisagreement): string {
  const path = join(options.failuresDir, `oracle-seed${options.seed}-run${found.run}.trace`);
  const origin = `mntns oracle --runs ${options.runs} --seed ${options.seed}, run ${found.run}: model and kernel disagree (${found.kind})`;
  const steps = found.steps.map((entry) => ({ event: entry.event, result: entry.modelResult, violations: [] }));
  traceStore.save(path, makeTrace({ seed: options.seed, origin, steps }));
  return path;
}

function outcomeText(outcome: OracleOutcomeFigure): string {
  if (outcome.agreed === outcome.steps) return `${outcome.outcome} ${outcome.steps}`;
  const parts = [`${outcome.agreed} agreed`];
  if (outcome.deviated > 0) parts.push(`${outcome.deviated} by a deviation`);
  if (outcome.differed > 0) parts.push(`${outcome.differed} DIFFERED`);
  return `${outcome.outcome} ${outcome.steps} (${parts.join(', ')})`;
}

/** The terminal rendering of the campaign's record. */
export function renderCampaign(report: RunReport, result: OracleCampaignResult, reportPaths: readonly string[]): string {
  const part = report.deterministic;
  const oracle = part.oracle;
  const figures = part.figures;
  const lines: string[] = [];
  const timing = report.timing;
  lines.push(
    `ran ${figures.runs} of ${figures.runsPlanned} runs, ${figures.events} events on model and kernel in ${seconds(timing.elapsedMs)} ` +
      `(harness ${seconds(timing.kernelMs ?? 0)}, model step() ${seconds(timing.modelMs ?? 0)}, shrinking ${seconds(timing.shrinkMs ?? 0)})`,
  );
  lines.push(
    `compared ${figures.stepsCompared} steps: ${figures.stepsAgreed} agreed, ${figures.stepsDeviated} differed by deliberate deviations, ${figures.stepsDiffered} differed unexplained` +
      ` (a run is compared up to its first unexplained difference; the ${figures.stepsAfterDisagreement} steps after one were not)`,
  );
  if ((figures.runsHarnessStopped ?? 0) > 0) lines.push(`the harness stopped before the end in ${plural(figures.runsHarnessStopped ?? 0, 'run')}`);
  if (result.stoppedBy === 'interrupted') lines.push('interrupted (Ctrl-C): the figures are what ran; the run in flight was dropped');
  if (oracle !== null && oracle !== undefined) {
    lines.push('', 'per syscall: steps compared; the kernel\'s outcomes, each with its steps (and how the model matched them where not all agreed)');
    const width = Math.max(...oracle.syscalls.map((syscall) => syscall.syscall.length));
    for (const syscall of oracle.syscalls) {
      const outcomes = syscall.steps === 0 ? 'NEVER RUN' : syscall.outcomes.map(outcomeText).join(', ');
      lines.push(`  ${syscall.syscall.padEnd(width)} ${String(syscall.steps).padStart(6)}  ${outcomes}`);
    }
    lines.push(oracle.neverRun.length === 0 ? 'every modelled syscall ran' : `never run by this campaign: ${oracle.neverRun.join(', ')}`);
    lines.push('', 'deliberate deviations (oracle/deviations.ts): steps that differed where one applies');
    for (const deviation of oracle.deviations) lines.push(`  ${deviation.name}: ${plural(deviation.steps, 'step')} in ${plural(deviation.runs, 'run')} — ${deviation.reason}`);
    lines.push('', oracle.disagreements.length === 0 ? 'no unexplained disagreement' : `unexplained disagreements: ${plural(figures.runsDisagreeing ?? 0, 'run')} in ${plural(oracle.disagreements.length, 'kind')}`);
    for (const kind of oracle.disagreements) lines.push(`  ${kind.kind}: ${plural(kind.runs, 'run')}, first at run ${kind.firstRun}`);
  }
  for (const trace of part.counterexamples) {
    lines.push('', `DISAGREEMENT at ${trace.source}:`);
    trace.steps.forEach((recorded, index) => lines.push(`${String(index + 1).padStart(4)}  ${formatStep(recorded.event, recorded.result)}`));
    for (const violation of trace.violations) lines.push(`        ${violation.message}`);
    if (trace.savedAs !== null) lines.push(`saved to ${trace.savedAs}; replay it with: npx mntns oracle ${trace.savedAs}`);
  }
  lines.push('', `${part.verdict === 'held' ? 'AGREED' : part.verdict === 'violated' ? 'DISAGREED' : 'INCOMPLETE'}: ${part.statement}`);
  lines.push(`report: ${reportPaths.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

export async function oracleCampaign(options: OracleCampaignOptions, io: CampaignIo = { out: (text) => process.stdout.write(text), progress: process.stderr }): Promise<CampaignOutcome> {
  io.out(`mntns oracle: the model against the running kernel (Linux ${release()}), seed ${options.seed}: ${options.runs} runs of up to ${options.maxCommands} syscalls\n`);
  let interrupted = false;
  const onInterrupt = (): void => {
    interrupted = true;
  };
  process.on('SIGINT', onInterrupt);
  const progress = progressReporter('mntns oracle', io.progress);
  const savedAs: Record<string, string> = {};
  let result: OracleCampaignResult;
  try {
    result = await runOracleCampaign({
      runs: options.runs,
      seed: options.seed,
      maxCommands: options.maxCommands,
      harness: { stepTimeoutMs: options.stepTimeoutMs },
      ...(io.compare === undefined ? {} : { compare: io.compare }),
      shouldStop: () => interrupted,
      onRun: (update) => progress.update(update),
      onDisagreement: (found) => {
        savedAs[found.kind] = saveDisagreement(options, found);
      },
    });
  } finally {
    progress.done();
    process.off('SIGINT', onInterrupt);
  }
  const report = oracleReport(result, { stepTimeoutMs: options.stepTimeoutMs }, savedAs);
  const reportPaths = writeReports(report, options.reportDir);
  io.out(renderCampaign(report, result, reportPaths));
  const code = result.disagreements.length > 0 ? EXIT_VIOLATED : result.stoppedBy === 'interrupted' ? EXIT_INTERRUPTED : EXIT_HELD;
  return { code, result, report, reportPaths, savedAs };
}
