// Code coverage of model/ under a run of mntns check itself (what random exploration reaches, as
// opposed to what the unit tests reach). V8's precise block coverage is started through the
// inspector before the model's modules are evaluated (cli/coverage-start.ts, imported first by
// main.ts), taken after the campaign, written as a NODE_V8_COVERAGE file and handed to c8, which
// maps dist/model/**/*.js back to model/**/*.ts through the source maps tsc writes beside them.
// c8 is a dev dependency: it is loaded only when --code-coverage asks for it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CodeCoverage, CoverageCount, FileCoverage } from '../reports/index.js';

/** The repository: dist/cli/code-coverage.js is two levels below it. */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MODEL_JS = join(ROOT, 'dist', 'model');

let session: Session | null = null;

/** A module of types alone compiles to no code, and is never loaded: it has nothing to cover. */
function typesOnly(file: string): boolean {
  const compiled = readFileSync(join(ROOT, 'dist', file.replace(/\.ts$/, '.js')), 'utf8');
  return compiled.replace(/\/\/.*$/gm, '').replace('export {};', '').trim() === '';
}

/** Starts V8's precise block coverage; a second call does nothing. */
export function startCodeCoverage(): void {
  if (session !== null) return;
  session = new Session();
  session.connect();
  // Same-thread sessions answer synchronously: coverage is on when this returns.
  session.post('Profiler.enable');
  session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
}

export class CodeCoverageError extends Error {}

interface ScriptCoverage {
  readonly url: string;
}

function takePreciseCoverage(active: Session): Promise<readonly ScriptCoverage[]> {
  return new Promise((resolve, reject) => {
    active.post('Profiler.takePreciseCoverage', (error, result) => {
      if (error !== null) reject(error);
      else resolve(result.result);
    });
  });
}

interface SummaryCounts {
  readonly lines: CoverageCount;
  readonly branches: CoverageCount;
  readonly functions: CoverageCount;
}

export const percent = (count: CoverageCount): string => (count.total === 0 ? '100.0' : ((100 * count.covered) / count.total).toFixed(1));

/** The terminal summary's lines: the total, then each file. */
export function codeCoverageLines(coverage: CodeCoverage): string[] {
  const cell = (count: CoverageCount): string => `${percent(count).padStart(5)}% ${`${count.covered}/${count.total}`.padStart(9)}`;
  const row = (name: string, entry: SummaryCounts): string => `  ${cell(entry.lines)}  ${cell(entry.branches)}  ${cell(entry.functions)}  ${name}`;
  return [
    `code coverage of model/ under this run (${coverage.tool}):`,
    `  ${'lines'.padEnd(16)}  ${'branches'.padEnd(16)}  ${'functions'.padEnd(16)}`,
    ...coverage.files.map((file) => row(file.file, file)),
    row('all of model/', coverage.total),
  ];
}

const counts = (entry: SummaryCounts): SummaryCounts => ({
  lines: { covered: entry.lines.covered, total: entry.lines.total },
  branches: { covered: entry.branches.covered, total: entry.branches.total },
  functions: { covered: entry.functions.covered, total: entry.functions.total },
});

/** Takes the coverage collected since startCodeCoverage() and summarises it per model/ source file. */
export async function takeCodeCoverage(scope: string): Promise<CodeCoverage> {
  const active = session;
  if (active === null) throw new CodeCoverageError('mntns check --code-coverage: coverage was never started');
  const scripts = await takePreciseCoverage(active);
  active.post('Profiler.stopPreciseCoverage');
  active.disconnect();
  session = null;
  const model = `${pathToFileURL(MODEL_JS).href}/`;
  let c8: typeof import('c8');
  try {
    c8 = await import('c8');
  } catch {
    throw new CodeCoverageError('mntns check --code-coverage: needs the dev dependency c8; run npm ci (without --omit=dev) in the mntns checkout');
  }
  const work = mkdtempSync(join(tmpdir(), 'mntns-coverage-'));
  try {
    const raw = join(work, 'v8');
    const out = join(work, 'report');
    mkdirSync(raw);
    writeFileSync(join(raw, `coverage-${process.pid}.json`), JSON.stringify({ result: scripts.filter((script) => script.url.startsWith(model)) }));
    const report = new c8.Report({
      tempDirectory: raw,
      reportsDirectory: out,
      reporter: ['json-summary'],
      include: ['**/dist/model/**/*.js', '**/model/**/*.ts'],
      exclude: ['**/*.test.*', '**/test-helpers.*'],
      excludeAfterRemap: true,
      allowExternal: true,
      all: true,
      src: [MODEL_JS],
    });
    await report.run();
    const summary = JSON.parse(readFileSync(join(out, 'coverage-summary.json'), 'utf8')) as Record<string, SummaryCounts>;
    const files: FileCoverage[] = Object.entries(summary)
      .filter(([file]) => file !== 'total')
      .map(([file, entry]) => ({ file: relative(ROOT, file).split(sep).join('/'), ...counts(entry) }))
      .filter((entry) => entry.file.startsWith('model/') && !typesOnly(entry.file))
      .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    if (files.length === 0) throw new CodeCoverageError('mntns check --code-coverage: c8 mapped no file of model/; run npm run build first');
    const sum = (kind: keyof SummaryCounts): CoverageCount => ({
      covered: files.reduce((total, file) => total + file[kind].covered, 0),
      total: files.reduce((total, file) => total + file[kind].total, 0),
    });
    return { tool: 'c8 (V8 precise block coverage through the inspector)', scope, total: { lines: sum('lines'), branches: sum('branches'), functions: sum('functions') }, files };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
