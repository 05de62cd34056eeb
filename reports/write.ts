// Where a run's renderings go: <dir>/<command>[-shard<i>of<N>].json and .junit.xml, written
// atomically, so CI picks them up whatever happened to the run.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import type { RunReport } from './record.js';

export const DEFAULT_REPORT_DIR = 'reports/out';

function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** Writes the JSON and JUnit renderings; returns their paths. */
export function writeReports(report: RunReport, dir: string, name?: string): string[] {
  mkdirSync(dir, { recursive: true });
  const shard = report.deterministic.shards.length === 1 ? `-shard${(report.deterministic.shards[0] as string).replace('/', 'of')}` : '';
  const stem = join(dir, name ?? `${report.deterministic.command}${shard}`);
  const paths = [`${stem}.json`, `${stem}.junit.xml`];
  writeAtomically(paths[0] as string, renderJson(report));
  writeAtomically(paths[1] as string, renderJunit(report));
  return paths;
}
