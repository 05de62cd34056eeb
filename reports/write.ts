// Where a run's renderings go: <dir>/<command>[-shard<i>of<N>].json, .junit.xml, .html and .txt,
// each written atomically, so CI picks them up whatever happened to the run.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHtml } from './html/index.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import type { RunReport } from './record.js';
import { renderSummary } from './summary.js';

export const DEFAULT_REPORT_DIR = 'reports/out';

function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** Writes the JSON, JUnit, HTML and plain-text renderings; returns their paths in that order. */
export function writeReports(report: RunReport, dir: string, name?: string): string[] {
  mkdirSync(dir, { recursive: true });
  const shard = report.deterministic.shards.length === 1 ? `-shard${(report.deterministic.shards[0] as string).replace('/', 'of')}` : '';
  const stem = join(dir, name ?? `${report.deterministic.command}${shard}`);
  const renderings: readonly (readonly [string, (report: RunReport) => string])[] = [
    [`${stem}.json`, renderJson],
    [`${stem}.junit.xml`, renderJunit],
    [`${stem}.html`, renderHtml],
    [`${stem}.txt`, renderSummary],
  ];
  for (const [path, render] of renderings) writeAtomically(path, render(report));
  return renderings.map(([path]) => path);
}
