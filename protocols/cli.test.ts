// `mntns check` reports the protocol models after the syscall suite (summary, --json, exit code).
// Runs the built CLI (npm test builds before testing).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
    expect(run.stdout).toMatch(/nsfs-stash: 5000 interleavings of up to 60 steps/);
    expect(run.stdout).toMatch(/mntput-fast-path: 5000 interleavings of up to 60 steps/);
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

describe('protocol counterexamples are traces like any other', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mntns-protocol-cli-'));
  const failures = join(dir, 'failures');
  const reports = join(dir, 'reports');
  const check = (...args: string[]) => mntns('check', '--runs', '5', '--failures-dir', failures, '--report-dir', reports, ...args);
  const shrunk = join(failures, 'stash-plain-store-seed20261121-shrunk.trace');

  it('check --mutant <protocol bug> saves the counterexample raw and shrunk, and reports it', () => {
    const run = check('--mutant', 'stash-plain-store');
    expect(run.code).toBe(1);
    expect(readdirSync(failures).sort()).toEqual(['stash-plain-store-seed20261121-raw.trace', 'stash-plain-store-seed20261121-shrunk.trace']);
    expect(readFileSync(shrunk, 'utf8')).toMatch(/^mntns-trace 2\nprofile protocol nsfs-stash\nseed 20261121\nbug stash-plain-store\n/);
    const record = JSON.parse(readFileSync(join(reports, 'check.json'), 'utf8')) as {
      deterministic: { verdict: string; invariants: { name: string; protocol?: string; verdict: string }[]; counterexamples: { protocol?: string; protocolSteps?: unknown[] }[] };
    };
    expect(record.deterministic.verdict).toBe('violated');
    expect(record.deterministic.invariants.find((invariant) => invariant.name === 'one-live-dentry-per-ns')).toMatchObject({ protocol: 'nsfs-stash', verdict: 'violated' });
    expect(record.deterministic.invariants.filter((invariant) => invariant.protocol === 'mntput-fast-path').every((invariant) => invariant.verdict === 'held')).toBe(true);
    expect(record.deterministic.counterexamples[0]).toMatchObject({ protocol: 'nsfs-stash' });
    expect(record.deterministic.counterexamples[0]?.protocolSteps).toHaveLength(12);
    const junit = readFileSync(join(reports, 'check.junit.xml'), 'utf8');
    expect(junit).toMatch(/<testcase classname="mntns.check.protocols.nsfs-stash" name="one-live-dentry-per-ns">\n\s*<failure/);
    expect(junit).toMatch(/<testcase classname="mntns.check.protocols.mntput-fast-path" name="final-put-takes-slow-path"\/>/);
  });

  it('the next check replays the saved one first and makes no random run for that protocol', () => {
    const run = check('--mutant', 'stash-plain-store');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/nsfs-stash: 0 interleavings/);
    expect(run.stdout).toMatch(/nsfs-stash: replayed 1 saved counterexample\(s\) from .* first: 1 still fail\(s\)/);
    expect(check('--mutant', 'stash-plain-store', '--skip-saved').stdout).toMatch(/nsfs-stash: \d+ interleavings/);
  });

  it('replay steps through it, and exits 1 for the invariant it breaks', () => {
    const run = mntns('replay', '--no-interactive', shrunk);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/12 steps of the protocol model nsfs-stash, seeded bug stash-plain-store/);
    expect(run.stdout).toMatch(/namespaces\.1\.stashed: 2 -> 1/);
    expect(run.stdout).toMatch(/VIOLATED one-live-dentry-per-ns/);
    expect(run.stdout).toMatch(/every step matches the recording; an invariant was violated/);
  });

  it('replay marks a recorded result that differs', () => {
    const edited = join(dir, 'edited.trace');
    writeFileSync(edited, readFileSync(shrunk, 'utf8').replace('= dentry 1 stored over dentry 2', '= dentry 1 stored over NULL'));
    const run = mntns('replay', '--no-interactive', edited);
    expect(run.stdout).toMatch(/MISMATCH result: recorded/);
    expect(run.stdout).toMatch(/1 step\(s\) differ from the recording/);
  });

  it('a saved protocol counterexample that no longer fails is moved to fixed/', () => {
    // the same interleaving without the seeded bug: the correct protocol holds on it
    writeFileSync(join(failures, 'nsfs-stash-seed1-shrunk.trace'), readFileSync(shrunk, 'utf8').replace('bug stash-plain-store\n', '').replace(/\n {2}!.*\n/, '\n'));
    const run = check();
    expect(run.stdout).toMatch(/nsfs-stash-seed1-shrunk.trace no longer fails: moved to/);
    expect(existsSync(join(failures, 'fixed', 'nsfs-stash-seed1-shrunk.trace'))).toBe(true);
    expect(run.code).toBe(0);
  });

  it('check --mutant names the protocol bugs among the known ones', () => {
    const run = mntns('check', '--mutant', 'no-such-bug');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/or of a protocol model: dentry-free-skips-rcu/);
  });
});
