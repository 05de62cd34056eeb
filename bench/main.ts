// `npm run bench`: how fast the model runs. Prints, for a fixed seed, the reducer's events per
// second alone and with every invariant after every event, on generated traces from the boot
// state and on states of 30+ mounts, each with immer's auto-freeze on and off; the heap kept per
// event by a long trace's states; check runs per second with the default settings; and the time
// and heap of replaying a 10,000-event trace to the end, back to step 0 and forward again; and,
// where the kernel oracle runs (root), the model's events/s against the kernel's on the same traces.
//
//   node dist/bench/main.js [--json] [--only SECTION,...] [--freeze on|off|both] [--bug-cap SECONDS]
//
// explore: distinct states/s of `mntns explore` at the default depth (explore.ts); seeded-bugs:
// time and runs to find each seeded bug over ten seeds (seeded-bugs.ts), each seed's search capped
// at --bug-cap seconds (default 2; 0 runs every seed's whole default budget). The soak is its own
// command: `npm run soak` (soak-main.ts).
//
// The memory figure needs global.gc: without --expose-gc the bench re-runs itself with it. To
// profile one figure in one process:
//   node --expose-gc --cpu-prof --cpu-prof-dir=/tmp/mntns-prof dist/bench/main.js --only large-invariants --freeze on
//   node dist/bench/profile.js /tmp/mntns-prof/*.cpuprofile --under invariantsPass
// A missed target is reported, never an exit status.
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freeze } from 'immer';
import { setFreezing } from '../model/index.js';
import { DEFAULT_MAX_COMMANDS, DEFAULT_RUNS, DEFAULT_SEED, runCheck } from '../properties/index.js';
import { collector, invariantsPass, MEASURE_MS, memoryPerEvent, reducerPass, throughput, WARMUP_MS } from './measure.js';
import type { BenchReport, CheckFigure, MemoryFigure, SectionId, ThroughputId, ThroughputRow, WorkloadSummary } from './report.js';
import { renderJson, renderTable, SECTION_IDS, TARGET_EVENTS_PER_SECOND, THROUGHPUT_IDS } from './report.js';
import { runEntry, UsageError } from './entry.js';
import { measureExplore } from './explore.js';
import { measureOracle } from './oracle.js';
import { DEFAULT_CAP_MS, measureSeededBugs } from './seeded-bugs.js';
import { measureReplay } from './replay.js';
import type { Workload } from './workloads.js';
import {
  BENCH_SEED,
  largeWorkload,
  longWorkload,
  mountStats,
  PRELUDE_BINDS,
  PRELUDE_MOUNTS,
  PRELUDE_TMPFS,
  smallWorkload,
  TRACE_COUNT,
  workloadStates,
} from './workloads.js';

const CHILD_MARK = 'MNTNS_BENCH_WITH_GC';

interface BenchOptions {
  readonly json: boolean;
  readonly sections: ReadonlySet<SectionId>;
  readonly freezes: readonly boolean[];
  /** The seeded-bugs section's cap on a seed's search; null for none. */
  readonly bugCapMs: number | null;
}


function parseOptions(args: readonly string[]): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { json: { type: 'boolean' }, only: { type: 'string' }, freeze: { type: 'string' }, 'bug-cap': { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(`mntns bench: ${(error as Error).message.split('\n')[0] ?? 'bad arguments'}`);
  }
  const only = values.only?.split(',') ?? [...SECTION_IDS];
  for (const name of only) {
    if (!(SECTION_IDS as readonly string[]).includes(name)) {
      throw new UsageError(`mntns bench: unknown --only section "${name}"; sections: ${SECTION_IDS.join(', ')}`);
    }
  }
  const freeze = values.freeze ?? 'both';
  const freezes = freeze === 'both' ? [true, false] : freeze === 'on' ? [true] : freeze === 'off' ? [false] : null;
  if (freezes === null) throw new UsageError(`mntns bench: --freeze takes on, off or both, not "${freeze}"`);
  const cap = values['bug-cap'] === undefined ? DEFAULT_CAP_MS / 1000 : Number(values['bug-cap']);
  if (!Number.isFinite(cap) || cap < 0 || cap > 3600) throw new UsageError(`mntns bench: --bug-cap takes seconds from 0 (no cap) to 3600, not "${values['bug-cap']}"`);
  return { json: values.json === true, sections: new Set(only as SectionId[]), freezes, bugCapMs: cap === 0 ? null : cap * 1000 };
}

const MEASURES: Readonly<Record<ThroughputId, string>> = {
  reducer: '(1) reducer: step() only',
  invariants: '(2) step() + every invariant after every event',
  'large-reducer': '(3) reducer: step() only, 30+ mounts',
  'large-invariants': '(3) step() + every invariant, 30+ mounts',
};

function summarise(workload: Workload, description: string): WorkloadSummary {
  return {
    name: workload.name,
    description,
    traces: workload.traces.length,
    events: workload.events,
    violatedTraces: workload.violatedTraces,
    mounts: mountStats(workloadStates(workload)),
  };
}

/**
 * The workload as a run in that mode sees it: with auto-freeze on every state is frozen from the
 * first step; with it off nothing ever is, so the traces start from an unfrozen copy.
 */
function asFrozen(workload: Workload, autoFreeze: boolean): Workload {
  return { ...workload, start: autoFreeze ? freeze(workload.start, true) : structuredClone(workload.start) };
}

function measureThroughput(id: ThroughputId, workload: Workload, autoFreeze: boolean): ThroughputRow {
  const withInvariants = id === 'invariants' || id === 'large-invariants';
  setFreezing(autoFreeze);
  try {
    const measured = throughput(asFrozen(workload, autoFreeze), withInvariants ? invariantsPass : reducerPass, withInvariants);
    const target = id === 'large-invariants' ? TARGET_EVENTS_PER_SECOND : null;
    return {
      id,
      measures: MEASURES[id],
      workload: workload.name,
      autoFreeze,
      ...measured,
      targetEventsPerSecond: target,
      targetMet: target === null ? null : measured.eventsPerSecond >= target,
    };
  } finally {
    setFreezing(true);
  }
}

function measureMemory(gc: () => void, workload: Workload, description: string): MemoryFigure {
  setFreezing(true);
  const { states, ...memory } = memoryPerEvent(workload, gc);
  const last = states[states.length - 1] ?? workload.start;
  return { measured: true, workload: description, ...memory, mounts: mountStats(states), tasksAtEnd: Object.keys(last.tasks).length };
}

/** (4): the long trace the figure is defined on, and the large workload's states for comparison. */
function measureMemories(large: Workload | null): MemoryFigure[] {
  const gc = collector();
  if (gc === null) return [{ measured: false, reason: 'global.gc is not exposed; run node --expose-gc dist/bench/main.js' }];
  return [
    measureMemory(gc, longWorkload(), `one long trace of generated commands after the ${PRELUDE_MOUNTS}-mount prelude`),
    measureMemory(gc, large ?? largeWorkload(), `the large workload's ${TRACE_COUNT} traces`),
  ];
}

async function measureCheck(): Promise<CheckFigure> {
  setFreezing(true);
  const settings = {
    seed: DEFAULT_SEED,
    runs: DEFAULT_RUNS,
    timeLimitMs: null,
    bug: null,
    maxCommands: DEFAULT_MAX_COMMANDS,
    stats: false,
  };
  await runCheck({ ...settings, runs: Math.ceil(DEFAULT_RUNS / 10) }); // warm-up: the same first runs
  const result = await runCheck(settings);
  return {
    seed: settings.seed,
    runs: settings.runs,
    maxCommands: settings.maxCommands,
    autoFreeze: true,
    runsDone: result.runsDone,
    events: result.events,
    elapsedMs: result.elapsedMs,
    runsPerSecond: (result.runsDone / result.elapsedMs) * 1000,
    eventsPerSecond: (result.events / result.elapsedMs) * 1000,
    stoppedBy: result.stoppedBy,
  };
}

async function bench(options: BenchOptions): Promise<BenchReport> {
  const wants = (id: SectionId): boolean => options.sections.has(id);
  const small = wants('reducer') || wants('invariants') ? smallWorkload() : null;
  const large = wants('large-reducer') || wants('large-invariants') ? largeWorkload() : null;
  const workloads: WorkloadSummary[] = [];
  if (small !== null) workloads.push(summarise(small, 'from the boot state (3 mounts in the namespace)'));
  if (large !== null) {
    const prelude = `after a prelude of task 1 that mounts ${PRELUDE_TMPFS} tmpfs and ${PRELUDE_BINDS} binds under /srv`;
    workloads.push(summarise(large, `the same command lists ${prelude} (${PRELUDE_MOUNTS} mounts in the namespace)`));
  }
  const rows: ThroughputRow[] = [];
  for (const id of THROUGHPUT_IDS) {
    if (!wants(id)) continue;
    const workload = id.startsWith('large') ? large : small;
    if (workload === null) continue;
    for (const autoFreeze of options.freezes) rows.push(measureThroughput(id, workload, autoFreeze));
  }
  const cpu = cpus();
  return {
    node: process.version,
    cpu: cpu[0]?.model.trim() ?? 'unknown CPU',
    logicalCores: cpu.length,
    seed: BENCH_SEED,
    warmupMs: WARMUP_MS,
    measureMs: MEASURE_MS,
    gcExposed: collector() !== null,
    workloads,
    throughput: rows,
    memory: wants('memory') ? measureMemories(large) : [],
    check: wants('check') ? await measureCheck() : null,
    explore: wants('explore') ? await measureExplore() : [],
    seededBugs: wants('seeded-bugs') ? await measureSeededBugs(BENCH_SEED, options.bugCapMs, (figure) => process.stderr.write(`mntns bench: seeded-bugs: ${figure.bug} done\n`)) : null,
    replay: wants('replay') ? measureReplay(collector()) : [],
    oracle: wants('oracle') ? await measureOracle() : null,
  };
}

/** Re-run this script under --expose-gc (once); returns its exit status, or null to run here. */
function rerunWithGc(): number | null {
  if (collector() !== null || process.env[CHILD_MARK] !== undefined) return null;
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', script, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, [CHILD_MARK]: '1' },
  });
  return child.status ?? 1;
}

async function main(args: readonly string[]): Promise<number> {
  const options = parseOptions(args);
  const status = rerunWithGc();
  if (status !== null) return status;
  const report = await bench(options);
  process.stdout.write(options.json ? renderJson(report) : renderTable(report));
  return 0;
}

runEntry(main);
