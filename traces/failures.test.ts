import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TaskId } from '../model/index.js';
import type { TraceStore } from './failures.js';
import { failurePath, failureStem, retireFailure, savedFailures } from './failures.js';
import type { Trace } from './trace.js';
import { makeTrace } from './trace.js';

/** A store that keeps the Trace as JSON, whatever the extension: the logic here is the codecs' business. */
const store: TraceStore = {
  load: (path) => JSON.parse(readFileSync(path, 'utf8')) as Trace,
  save: (path, trace) => writeFileSync(path, JSON.stringify(trace)),
};

const trace = (bug: Trace['bug'], path: string): Trace =>
  makeTrace({ bug, steps: [{ event: { type: 'chdir', task: 1 as TaskId, path }, result: null, violations: [] }] });

describe('the failure database', () => {
  it('names files after the model or seeded bug and the seed', () => {
    expect(failureStem(null, 7)).toBe('model-seed7');
    expect(failurePath('/f', failureStem('mnt-ns-loop-off-by-one', -3), 'shrunk')).toBe('/f/mnt-ns-loop-off-by-one-seed-3-shrunk.trace');
  });
  it('holds nothing where the folder does not exist', () => {
    expect(savedFailures('/nonexistent/mntns', null, store)).toEqual([]);
  });
  it('offers one trace per stem, the shrunk one before the raw one, in name order, for the model asked for', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mntns-failures-'));
    store.save(join(dir, 'model-seed2-raw.trace'), trace(null, '/raw2'));
    store.save(join(dir, 'model-seed1-raw.trace'), trace(null, '/raw1'));
    store.save(join(dir, 'model-seed1-shrunk.trace'), trace(null, '/shrunk1'));
    store.save(join(dir, 'change-type-on-detached-seed1-raw.trace'), trace('change-type-on-detached', '/bug'));
    writeFileSync(join(dir, 'notes.txt'), 'not a trace');
    const saved = savedFailures(dir, null, store);
    expect(saved.map((failure) => [failure.stem, failure.path.slice(dir.length + 1)])).toEqual([
      ['model-seed1', 'model-seed1-shrunk.trace'],
      ['model-seed2', 'model-seed2-raw.trace'],
    ]);
    expect(savedFailures(dir, 'change-type-on-detached', store).map((failure) => failure.stem)).toEqual(['change-type-on-detached-seed1']);
  });
  it('moves a fixed stem to fixed/, so nothing is lost and it is not replayed again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mntns-failures-'));
    store.save(join(dir, 'model-seed1-raw.trace'), trace(null, '/a'));
    store.save(join(dir, 'model-seed1-shrunk.trace'), trace(null, '/b'));
    store.save(join(dir, 'model-seed10-raw.trace'), trace(null, '/c'));
    retireFailure(dir, 'model-seed1');
    expect(readdirSync(join(dir, 'fixed')).sort()).toEqual(['model-seed1-raw.trace', 'model-seed1-shrunk.trace']);
    expect(savedFailures(dir, null, store).map((failure) => failure.stem)).toEqual(['model-seed10']);
    expect(existsSync(join(dir, 'model-seed10-raw.trace'))).toBe(true);
  });
});
