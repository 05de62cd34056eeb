import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { taskId } from '../model/index.js';
import { loadTrace, saveTrace } from './io.js';
import { makeTrace, TraceError } from './trace.js';

const trace = makeTrace({
  seed: 5,
  bug: 'mnt-ns-loop-off-by-one',
  origin: 'a test',
  steps: [
    { event: { type: 'mknod', task: taskId(1), path: '/tmp/f' }, result: { ok: true, value: 0 }, violations: [] },
    { event: { type: 'umount2', task: taskId(1), target: '/tmp', flags: ['MNT_DETACH'] }, result: null, violations: [] },
  ],
});

describe('trace files', () => {
  it('are written in the line format unless the name ends in .json, and read back by their extension', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mntns-io-'));
    saveTrace(join(dir, 'sub', 'a.trace'), trace);
    saveTrace(join(dir, 'sub', 'a.trace.json'), trace);
    expect(readFileSync(join(dir, 'sub', 'a.trace'), 'utf8')).toMatch(/^mntns-trace 2\nprofile linux-6\.18\nseed 5\n/);
    expect(readFileSync(join(dir, 'sub', 'a.trace.json'), 'utf8')).toMatch(/^\{"format":"mntns-trace","version":2,/);
    expect(loadTrace(join(dir, 'sub', 'a.trace'))).toEqual(trace);
    expect(loadTrace(join(dir, 'sub', 'a.trace.json'))).toEqual(trace);
    expect(readdirSync(join(dir, 'sub')).sort()).toEqual(['a.trace', 'a.trace.json']); // no temporary file left
  });

  it('replace an existing file whole', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mntns-io-')), 'b.trace');
    saveTrace(path, trace);
    saveTrace(path, makeTrace({ steps: [] }));
    expect(loadTrace(path).steps).toEqual([]);
  });

  it('that cannot be read fail with one line naming the path and the fix', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mntns-io-')), 'absent.trace');
    expect(() => loadTrace(path)).toThrow(TraceError);
    expect(() => loadTrace(path)).toThrow(`${path}: cannot read the trace file (ENOENT); check the path`);
  });
});
