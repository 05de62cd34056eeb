import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Result } from '../model/index.js';
import { initialState, step } from '../model/index.js';
import { expectedLine, exportC, oracleUnavailable } from './index.js';
import { asEvents } from './test-helpers.js';

const unavailable = oracleUnavailable();
const compiler = spawnSync('cc', ['--version']).status === 0;
const events = asEvents([
  { type: 'mkdir', task: 1, path: '/mnt/a' },
  { type: 'mount', task: 1, source: 'tmpfs', target: '/mnt/a', fstype: 'tmpfs', flags: [] },
  { type: 'socketpair', task: 1 },
  { type: 'umount2', task: 1, target: '/mnt/a', flags: ['MNT_EXPIRE'] },
]);

function modelSteps(): { event: (typeof events)[number]; result: Result }[] {
  let state = initialState();
  return events.map((event) => {
    const outcome = step(state, event, {});
    state = outcome.state;
    return { event, result: outcome.result };
  });
}

function buildAndRun(source: string): { code: number | null; stderr: string } {
  const directory = mkdtempSync(join(tmpdir(), 'mntns-export-c-'));
  try {
    writeFileSync(join(directory, 'replay.c'), source);
    const build = spawnSync('cc', ['-O2', '-Wall', '-Werror', '-o', join(directory, 'replay'), join(directory, 'replay.c')], { encoding: 'utf8' });
    expect(build.stderr).toBe('');
    const run = spawnSync(join(directory, 'replay'), { encoding: 'utf8' });
    return { code: run.status, stderr: run.stderr };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

describe('export-c', () => {
  it('writes the expected results as the harness prints them', () => {
    expect(modelSteps().map((recorded) => expectedLine(recorded.result))).toEqual(['R\t0', 'R\t0', 'R\t0\t3,4', 'E\t11']);
  });

  it.skipIf(unavailable !== null || !compiler)(`builds a program that agrees with the model on the kernel${unavailable === null ? '' : ` (skipped: ${unavailable})`}`, () => {
    const run = buildAndRun(exportC(modelSteps(), 'export-c test'));
    expect(run.stderr).toBe("agree: 0 of 4 results differ from the model's\n");
    expect(run.code).toBe(0);
  });

  it.skipIf(unavailable !== null || !compiler)('exits 1 and names the step when a result differs', () => {
    const steps = modelSteps();
    const wrong = steps.map((recorded, index) => (index === 1 ? { ...recorded, result: { ok: false, errno: 'EBUSY', check: 'test' } as Result } : recorded));
    const run = buildAndRun(exportC(wrong, 'export-c test'));
    expect(run.stderr).toContain('step 2: expected "E\t16", the kernel gave "R\t0"');
    expect(run.code).toBe(1);
  });
});
