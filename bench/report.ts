// The bench's one result record and its two renderings: a table for a person, JSON for a script.
// Both render the same BenchReport; nothing is measured here.
import type { ExploreFigure } from './explore.js';
import type { Memory, Throughput } from './measure.js';
import type { OracleFigure } from './oracle.js';
import type { ReplayFigure } from './replay.js';
import { REPLAY_TARGET_BYTES, REPLAY_TARGET_MS } from './replay.js';
import { exploreLines, seededBugsLines } from './render-sections.js';
import type { SeededBugsFigure } from './seeded-bugs.js';
import type { MountStats } from './workloads.js';
import { LARGE_MOUNTS } from './workloads.js';

/** The project's target: events per second with every invariant on, on states of 30+ mounts, one core. */
export const TARGET_EVENTS_PER_SECOND = 100_000;

export const THROUGHPUT_IDS = ['reducer', 'invariants', 'large-reducer', 'large-invariants'] as const;
export type ThroughputId = (typeof THROUGHPUT_IDS)[number];
export const SECTION_IDS = [...THROUGHPUT_IDS, 'memory', 'check', 'explore', 'seeded-bugs', 'replay', 'oracle'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export interface WorkloadSummary {
  readonly name: string;
  readonly description: string;
  readonly traces: number;
  readonly events: number;
  readonly violatedTraces: number;
  readonly mounts: MountStats;
}

export interface ThroughputRow extends Throughput {
  readonly id: ThroughputId;
  readonly measures: string;
  readonly workload: string;
  readonly autoFreeze: boolean;
  /** The target, where the project sets one for this figure. */
  readonly targetEventsPerSecond: number | null;
  readonly targetMet: boolean | null;
}

export type MemoryFigure =
  | (Omit<Memory, 'states'> & { readonly measured: true; readonly workload: string; readonly mounts: MountStats; readonly tasksAtEnd: number })
  | { readonly measured: false; readonly reason: string };

export interface CheckFigure {
  readonly seed: number;
  readonly runs: number;
  readonly maxCommands: number;
  readonly autoFreeze: boolean;
  readonly runsDone: number;
  readonly events: number;
  readonly elapsedMs: number;
  readonly runsPerSecond: number;
  readonly eventsPerSecond: number;
  readonly stoppedBy: string;
}

export interface BenchReport {
  readonly node: string;
  readonly cpu: string;
  readonly logicalCores: number;
  readonly seed: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly gcExposed: boolean;
  readonly workloads: readonly WorkloadSummary[];
  readonly throughput: readonly ThroughputRow[];
  readonly memory: readonly MemoryFigure[];
  readonly check: CheckFigure | null;
  /** Exhaustive exploration at the default depth, with no worker thread and with the default workers. */
  readonly explore: readonly ExploreFigure[];
  readonly seededBugs: SeededBugsFigure | null;
  readonly replay: readonly ReplayFigure[];
  /** Model against kernel on the same traces; null when the section was not asked for. */
  readonly oracle: OracleFigure | null;
}

const whole = (value: number): string => Math.round(value).toLocaleString('en-US');
const oneDecimal = (value: number): string => value.toFixed(1);
const percent = (share: number): string => `${(100 * share).toFixed(0)}%`;

/** Columns padded to their widest cell; columns listed in `right` are right-aligned. */
export function columns(rows: readonly (readonly string[])[], right: ReadonlySet<number>): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, index) => (right.has(index) ? cell.padStart(widths[index] ?? 0) : cell.padEnd(widths[index] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

function workloadLine(workload: WorkloadSummary): string {
  const { mounts } = workload;
  const violated = workload.violatedTraces === 0 ? '' : `; ${workload.violatedTraces} traces BROKE AN INVARIANT (cut there)`;
  return (
    `  ${workload.name.padEnd(5)}  ${workload.traces} traces, ${whole(workload.events)} events, ${workload.description}; ` +
    `mounts per state measured: mean ${oneDecimal(mounts.meanMounts)} in the mount table, ` +
    `largest namespace mean ${oneDecimal(mounts.meanLargestNs)} (min ${mounts.minLargestNs}, ` +
    `>= ${LARGE_MOUNTS} in ${percent(mounts.shareLarge)} of states)${violated}`
  );
}

function throughputTable(rows: readonly ThroughputRow[]): string[] {
  const header = ['measures', 'workload', 'auto-freeze', 'events/s', 'target', 'met', 'timed'];
  const body = rows.map((row) => [
    row.measures,
    row.workload,
    row.autoFreeze ? 'on' : 'off',
    whole(row.eventsPerSecond),
    row.targetEventsPerSecond === null ? '' : `>= ${whole(row.targetEventsPerSecond)}`,
    row.targetMet === null ? '' : row.targetMet ? 'yes' : 'NO',
    `${whole(row.events)} events in ${whole(row.elapsedMs)} ms${row.violations === 0 ? '' : `, ${row.violations} VIOLATIONS`}`,
  ]);
  return columns([header, ...body], new Set([3]));
}

function memoryLines(memory: MemoryFigure): string[] {
  if (!memory.measured) return [`  memory per event: not measured: ${memory.reason}`];
  const { mounts } = memory;
  return [
    `  memory per event, keeping every state of ${memory.workload} (${whole(memory.events)} events, auto-freeze on):`,
    `    states only                           ${whole(memory.stateBytesPerEvent).padStart(9)} bytes/event`,
    `    states + patches + inverse patches    ${whole(memory.stateAndPatchBytesPerEvent).padStart(9)} bytes/event`,
    `    its states: mean ${oneDecimal(mounts.meanMounts)} mounts in the mount table, largest namespace mean ` +
      `${oneDecimal(mounts.meanLargestNs)}; ${memory.tasksAtEnd} tasks after the last event`,
  ];
}

function checkLines(check: CheckFigure): string[] {
  return [
    `  check: runCheck with the defaults (seed ${check.seed}, ${check.runs} runs, up to ${check.maxCommands} commands, ` +
      `auto-freeze ${check.autoFreeze ? 'on' : 'off'}; generation, resolution, step() and every invariant):`,
    `    ${oneDecimal(check.runsPerSecond)} runs/s, ${whole(check.eventsPerSecond)} events/s ` +
      `(${check.runsDone} runs, ${whole(check.events)} events in ${whole(check.elapsedMs)} ms, stopped by ${check.stoppedBy})`,
  ];
}

function replayLines(figure: ReplayFigure): string[] {
  const held = figure.heldBytes === null ? 'not measured (no global.gc)' : `${oneDecimal(figure.heldBytes / (1024 * 1024))} MB`;
  return [
    `  replay: a ${whole(figure.events)}-event generated trace through a History, ${figure.invariants ? 'every invariant after every step' : 'no invariants'} (auto-freeze on):`,
    `    to the end ${whole(figure.toEndMs)} ms (step() once per event), back to step 0 ${whole(figure.backToStartMs)} ms (inverse patches), ` +
      `forward to the end ${whole(figure.forwardAgainMs)} ms (patches): ${whole(figure.totalMs)} ms in all (target < ${whole(REPLAY_TARGET_MS)} ms)`,
    `    held by the history at the end: ${held} (target < ${whole(REPLAY_TARGET_BYTES / (1024 * 1024))} MB); ${figure.targetMet ? 'targets met' : 'TARGET MISSED'}`,
  ];
}

function oracleLines(figure: OracleFigure): string[] {
  if (!figure.measured) return [`  oracle: model against kernel: skipped: ${figure.reason}`];
  return [
    `  oracle: model against kernel on the same ${figure.traces} traces of mntns oracle (${whole(figure.events)} events):`,
    `    kernel: ${whole(figure.kernelEventsPerSecond)} events/s (the harness's wall time, spawn to exit, ${whole(figure.kernelMs)} ms: ` +
      `sandbox set-up, the syscalls, every task's namespace and mountinfo read after each step, the pipe);`,
    `            ${whole(figure.kernelEventsPerSecondAfterStartup)} events/s without the start-up (${oneDecimal(figure.startupMs)} ms per run, the median of a run of no events)`,
    `    model:  ${whole(figure.modelEventsPerSecond)} events/s (step() only, auto-freeze on)`,
    `    ratio model/kernel: ${oneDecimal(figure.ratio)}x, ${oneDecimal(figure.ratioAfterStartup)}x against the kernel without the start-up`,
  ];
}

/** The command that reproduces a block's figures on its own. */
const sectionCommand = (...ids: readonly SectionId[]): string => `[npm run bench -- --only ${ids.join(',')}]`;

export function renderTable(report: BenchReport): string {
  const lines = [
    `mntns bench: node ${report.node}, ${report.cpu} (${report.logicalCores} logical cores, one used unless a row says otherwise), seed ${report.seed}`,
    `each throughput: whole passes over the workload for >= ${report.measureMs} ms after >= ${report.warmupMs} ms of warm-up;`,
    'auto-freeze on: traces start from a frozen state; off: from an unfrozen copy, as runs from initialState() do',
    '',
    'workloads (generated command lists resolved once to concrete events; the timed loops run only what the row says)',
    ...report.workloads.map(workloadLine),
  ];
  if (report.throughput.length > 0) lines.push('', sectionCommand(...new Set(report.throughput.map((row) => row.id))), ...throughputTable(report.throughput).map((line) => `  ${line}`));
  for (const [index, memory] of report.memory.entries()) lines.push('', ...(index === 0 ? [sectionCommand('memory')] : []), ...memoryLines(memory));
  if (report.check !== null) lines.push('', sectionCommand('check'), ...checkLines(report.check));
  if (report.explore.length > 0) lines.push('', sectionCommand('explore'), ...exploreLines(report.explore));
  if (report.seededBugs !== null) lines.push('', sectionCommand('seeded-bugs'), ...seededBugsLines(report.seededBugs));
  for (const [index, figure] of report.replay.entries()) lines.push('', ...(index === 0 ? [sectionCommand('replay')] : []), ...replayLines(figure));
  if (report.oracle !== null) lines.push('', sectionCommand('oracle'), ...oracleLines(report.oracle));
  return `${lines.join('\n')}\n`;
}

export function renderJson(report: BenchReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
