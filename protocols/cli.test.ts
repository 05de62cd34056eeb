// `mntns check` reports the protocol models after the syscall suite (summary, --json, exit code).
// Runs the built CLI (npm test builds before testing).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');

function mntns(...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('mntns check with the protocol models', () => {
  it('reports both protocols after the syscall suite and exits 0 when they hold', () => {
    const run = mntns('check', '--runs', '20');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/races inside a syscall \(step-level protocol models\):/);
    expect(run.stdout).toMatch(/nsfs-stash: 250 interleavings of up to 60 steps/);
    expect(run.stdout).toMatch(/mntput-fast-path: 250 interleavings of up to 60 steps/);
    expect(run.stdout.match(/every invariant held$/gm)).toHaveLength(2);
  });

  it('--json carries the protocol results without timings', () => {
    const run = mntns('check', '--runs', '20', '--json');
    expect(run.code).toBe(0);
    const record = JSON.parse(run.stdout) as { protocols: { protocol: string; counterexample: unknown; elapsedMs?: number }[] };
    expect(record.protocols.map((result) => result.protocol)).toEqual(['nsfs-stash', 'mntput-fast-path']);
    expect(record.protocols.every((result) => result.counterexample === null && result.elapsedMs === undefined)).toBe(true);
  });
});
