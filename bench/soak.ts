// The soak: `mntns check --time-limit S` run in this process for S seconds, with the resident
// memory and the heap in use sampled at the start, at every interval and at the end, so a slow
// leak shows as growth. The check stops at whichever comes first of its runs and its time limit,
// so the soak asks for the largest --runs the command takes (10^8, far more than any time limit
// can run): the time limit is then what ends it. Saved failures are not replayed, and its reports
// and any counterexample go to a folder of the soak's own.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The most runs `mntns check --runs` takes. */
export const SOAK_RUNS = 100_000_000;
export const DEFAULT_SOAK_SECONDS = 600;
export const DEFAULT_SAMPLE_SECONDS = 60;

export interface MemorySample {
  /** start, the minute (or interval) it was taken at, or end. */
  readonly label: string;
  readonly atMs: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
}

export interface Growth {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
}

export interface CheckRan {
  readonly runs: number;
  readonly runsPlanned: number;
  readonly events: number;
  readonly statement: string;
}

export interface SoakResult {
  readonly seconds: number;
  readonly command: string;
  readonly exitCode: number;
  readonly elapsedMs: number;
  /** True when a full collection ran before every sample (node --expose-gc): heapUsed is then what is kept. */
  readonly collectedBeforeSamples: boolean;
  readonly samples: readonly MemorySample[];
  /** What the check's own report (check.json in its report folder) says it ran; null when it wrote none. */
  readonly checkRan: CheckRan | null;
  /** End minus start. */
  readonly growth: Growth | null;
  /** End minus the first sample after the start, past the warm-up (null with fewer than three samples). */
  readonly growthAfterWarmup: Growth | null;
}

/** The arguments of `mntns check` for a soak of `seconds`, writing only under `dir`. */
export function soakArgs(seconds: number, dir: string): string[] {
  return ['--time-limit', String(seconds), '--runs', String(SOAK_RUNS), '--skip-saved', '--failures-dir', join(dir, 'failures'), '--report-dir', join(dir, 'reports')];
}

export function growthBetween(first: MemorySample | undefined, last: MemorySample | undefined): Growth | null {
  if (first === undefined || last === undefined || first === last) return null;
  return { rssBytes: last.rssBytes - first.rssBytes, heapUsedBytes: last.heapUsedBytes - first.heapUsedBytes };
}

/** The figures of the check report the soak's check wrote under `dir`. */
export function readCheckRan(dir: string): CheckRan | null {
  const path = join(dir, 'reports', 'check.json');
  if (!existsSync(path)) return null;
  const report = JSON.parse(readFileSync(path, 'utf8')) as { deterministic?: { statement?: string; figures?: { runs?: number; runsPlanned?: number; events?: number } } };
  const figures = report.deterministic?.figures;
  return { runs: figures?.runs ?? 0, runsPlanned: figures?.runsPlanned ?? 0, events: figures?.events ?? 0, statement: report.deterministic?.statement ?? '' };
}

type Collector = () => void;

function collector(): Collector | null {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? (gc as Collector) : null;
}

export interface SoakSettings {
  readonly seconds: number;
  readonly sampleEveryMs: number;
  /** Where the check writes its reports and failures. */
  readonly dir: string;
  /** Runs `mntns check` with these arguments and returns its exit status. */
  readonly check: (args: readonly string[]) => Promise<number>;
}

export async function runSoak(settings: SoakSettings): Promise<SoakResult> {
  const gc = collector();
  const started = performance.now();
  const samples: MemorySample[] = [];
  const sample = (label: string): void => {
    gc?.();
    const memory = process.memoryUsage();
    samples.push({ label, atMs: performance.now() - started, rssBytes: memory.rss, heapUsedBytes: memory.heapUsed });
  };
  sample('start');
  let taken = 0;
  const timer = setInterval(() => {
    taken++;
    sample(settings.sampleEveryMs === 60_000 ? `minute ${taken}` : `after ${((taken * settings.sampleEveryMs) / 1000).toFixed(0)} s`);
  }, settings.sampleEveryMs);
  const args = soakArgs(settings.seconds, settings.dir);
  let exitCode: number;
  try {
    exitCode = await settings.check(args);
  } finally {
    clearInterval(timer);
  }
  const elapsedMs = performance.now() - started;
  sample('end');
  return {
    seconds: settings.seconds,
    command: `mntns check ${args.join(' ')}`,
    exitCode,
    elapsedMs,
    collectedBeforeSamples: gc !== null,
    checkRan: readCheckRan(settings.dir),
    samples,
    growth: growthBetween(samples[0], samples[samples.length - 1]),
    growthAfterWarmup: samples.length < 3 ? null : growthBetween(samples[1], samples[samples.length - 1]),
  };
}

const megabytes = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
const signed = (bytes: number): string => `${bytes >= 0 ? '+' : '-'}${megabytes(Math.abs(bytes))}`;

export function renderSoak(result: SoakResult): string {
  const growth = (name: string, value: Growth | null): string =>
    value === null ? `  ${name}: not measured (too few samples)` : `  ${name}: rss ${signed(value.rssBytes)}, heapUsed ${signed(value.heapUsedBytes)}`;
  const lines = [
    '',
    `mntns soak: ${result.command}`,
    `  ran ${(result.elapsedMs / 1000).toFixed(1)} s of the ${result.seconds} s limit, exit ${result.exitCode}` +
      `${result.exitCode === 0 ? '' : ' (NOT 0: the check failed, see its summary above)'}; ` +
      `${result.collectedBeforeSamples ? 'a full collection before every sample' : 'no collection before the samples (run under node --expose-gc for retained heap)'}`,
    result.checkRan === null
      ? '  the check wrote no report'
      : `  the check ran ${result.checkRan.runs.toLocaleString('en-US')} runs of the ${result.checkRan.runsPlanned.toLocaleString('en-US')} planned, ${result.checkRan.events.toLocaleString('en-US')} events: ${result.checkRan.statement}`,
    ...result.samples.map((sample) => `  ${sample.label.padEnd(12)} ${(sample.atMs / 1000).toFixed(1).padStart(7)} s  rss ${megabytes(sample.rssBytes).padStart(9)}  heapUsed ${megabytes(sample.heapUsedBytes).padStart(9)}`),
    growth('growth, end minus start', result.growth),
    growth('growth, end minus the first sample after the start', result.growthAfterWarmup),
  ];
  return `${lines.join('\n')}\n`;
}
