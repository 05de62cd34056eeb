// The command line as a user meets it: exit codes, one-line errors, saved and replayed traces.
// Runs the built CLI (npm test builds before testing).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');

function mntns(...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('mntns command line', () => {
  it.each([
    [['check', '--runs', 'many'], /--runs takes a whole number/],
    [['check', '--bogus'], /mntns check: Unknown option '--bogus'/],
    [['check', '--mutant', 'no-such-bug'], /unknown --mutant "no-such-bug"; one of: /],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['replay'], /name a trace file/],
  ])('%j fails with one line on stderr and exit 2', (args, message) => {
    const run = mntns(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('check states what it explored and exits 0 when every invariant held', () => {
    const run = mntns('check', '--runs', '100', '--seed', '3');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/explored 100 random interleavings/);
    expect(run.stdout).toMatch(/seed 3/);
    expect(run.stdout).toMatch(/every invariant held after all \d+ events/);
  });

  it('check --require-coverage fails on a run that leaves checks of the model unreached, and lists them', () => {
    const reportDir = mkdtempSync(join(tmpdir(), 'mntns-cov-'));
    const run = mntns('check', '--runs', '1', '--skip-saved', '--report-dir', reportDir, '--require-coverage');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/semantic coverage: \d+ of \d+ checks of the model reached/);
    expect(run.stdout).toMatch(/never reached \(\d+\):\n {4}E[A-Z]+ \(/);
    expect(run.stdout).toMatch(/ {4}EBUSY \(do_umount: propagate_mount_busy\)/);
    expect(run.stderr).toMatch(/--require-coverage: \d+ check\(s\) of the model were never reached/);
    const report = JSON.parse(readFileSync(join(reportDir, 'check.json'), 'utf8'));
    expect(report.deterministic.semanticCoverage.unreached).toContainEqual({ errno: 'EBUSY', check: 'do_umount: propagate_mount_busy' });
  });

  it('check --code-coverage reports c8 coverage of the model/ source files, per file and in total', () => {
    const reportDir = mkdtempSync(join(tmpdir(), 'mntns-cov-'));
    const run = mntns('check', '--runs', '20', '--skip-saved', '--report-dir', reportDir, '--code-coverage');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/code coverage of model\/ under this run/);
    expect(run.stdout).toMatch(/%\s+\d+\/\d+ .* model\/syscalls\/mount\.ts/);
    const coverage = JSON.parse(readFileSync(join(reportDir, 'check.json'), 'utf8')).codeCoverage;
    const files: string[] = coverage.files.map((file: { file: string }) => file.file);
    expect(files).toContain('model/syscalls/mount.ts');
    expect(files).toContain('model/internal/pnode.ts');
    expect(files.every((file) => file.startsWith('model/') && file.endsWith('.ts') && !file.endsWith('.test.ts'))).toBe(true);
    expect(coverage.total.lines.covered).toBeGreaterThan(0);
    expect(coverage.total.lines.covered).toBeLessThan(coverage.total.lines.total);
    expect(coverage.total.branches.total).toBeGreaterThan(coverage.total.branches.covered);
  });

  it('check --json prints the result record', () => {
    const run = mntns('check', '--runs', '50', '--json');
    expect(run.code).toBe(0);
    const record = JSON.parse(run.stdout) as { runsDone: number; counterexample: unknown };
    expect(record.runsDone).toBe(50);
    expect(record.counterexample).toBeNull();
  });

  it('a violation prints the shrunk trace, saves it raw and shrunk, and the saved trace replays', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mntns-'));
    const run = mntns('check', '--mutant', 'mnt-ns-loop-off-by-one', '--failures-dir', dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/VIOLATED: no-mnt-ns-loop/);
    expect(run.stdout).toMatch(/mount\("\/proc\/self\/ns\/mnt"/);
    expect(readdirSync(dir).sort()).toEqual([
      'mnt-ns-loop-off-by-one-seed20261121-raw.trace',
      'mnt-ns-loop-off-by-one-seed20261121-shrunk.trace',
    ]);
    const saved = join(dir, 'mnt-ns-loop-off-by-one-seed20261121-shrunk.trace');
    expect(readFileSync(saved, 'utf8')).toMatch(
      /^mntns-trace 2\nprofile linux-6\.18\nseed 20261121\nbug mnt-ns-loop-off-by-one\norigin mntns check --seed 20261121 --mutant mnt-ns-loop-off-by-one, run \d+, shrunk from \d+ events\n\n\[pid 1\] /,
    );
    expect(run.stdout).toContain(`npx mntns replay ${saved}`);
    const replay = mntns('replay', saved);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toMatch(/every result matches the recording; an invariant was violated/);
  });

  it('a counterexample survives a kill during its shrinking: the next run replays it first, shrinks it and saves it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mntns-'));
    const child = spawn(process.execPath, [CLI, 'check', '--mutant', 'copy-mnt-ns-keeps-nsfs', '--failures-dir', dir], { stdio: 'ignore' });
    const raw = join(dir, 'copy-mnt-ns-keeps-nsfs-seed20261121-raw.trace');
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (existsSync(raw)) {
          child.kill('SIGKILL'); // the raw trace is on disk: shrinking has begun or is about to
          clearInterval(poll);
          resolve();
        }
      }, 1);
    });
    await new Promise((resolve) => child.on('close', resolve));
    const next = mntns('check', '--mutant', 'copy-mnt-ns-keeps-nsfs', '--failures-dir', dir);
    expect(next.code).toBe(1);
    expect(next.stdout).toMatch(/replayed 1 saved counterexample\(s\) from .* first: 1 still fail/);
    expect(next.stdout).toMatch(/a saved counterexample still fails: .*copy-mnt-ns-keeps-nsfs-seed20261121-(raw|shrunk)\.trace/);
    expect(next.stdout).toMatch(/explored 0 random interleavings/);
    // 1-minimal, at most the registry's minimal (4 events) + 2, the slack of traces/campaign.test.ts
    const shortest = /shortest trace found \((\d+) events, .*1-minimal/.exec(next.stdout);
    expect(shortest).not.toBeNull();
    expect(Number(shortest?.[1])).toBeGreaterThanOrEqual(4);
    expect(Number(shortest?.[1])).toBeLessThanOrEqual(4 + 2);
    expect(mntns('replay', join(dir, 'copy-mnt-ns-keeps-nsfs-seed20261121-shrunk.trace')).stdout).toMatch(/every result matches the recording/);
  });

  it('a saved counterexample that no longer fails is moved to fixed/ and the random budget runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mntns-'));
    expect(mntns('check', '--mutant', 'mnt-ns-loop-off-by-one', '--failures-dir', dir).code).toBe(1);
    // the same trace, claimed for the correct model: there it does not fail
    for (const name of readdirSync(dir)) renameSync(join(dir, name), join(dir, name.replace('mnt-ns-loop-off-by-one', 'model')));
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      writeFileSync(path, readFileSync(path, 'utf8').replace(/"bug": "mnt-ns-loop-off-by-one"|bug mnt-ns-loop-off-by-one\n/, (found) => (found.startsWith('"') ? '"bug": null' : '')));
    }
    const run = mntns('check', '--runs', '50', '--failures-dir', dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/replayed 1 saved counterexample\(s\) .* first: 0 still fail/);
    expect(run.stdout).toMatch(/no longer fails: moved to .*\/fixed\//);
    expect(run.stdout).toMatch(/explored 50 random interleavings/);
    expect(readdirSync(join(dir, 'fixed')).sort()).toEqual(['model-seed20261121-raw.trace', 'model-seed20261121-shrunk.trace']);
  });

  it('shrink makes a trace 1-minimal and saves it; corpus promote keeps it and corpus check replays it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mntns-'));
    mntns('check', '--mutant', 'mnt-ns-loop-off-by-one', '--failures-dir', dir);
    const raw = join(dir, 'mnt-ns-loop-off-by-one-seed20261121-raw.trace');
    const shrunk = mntns('shrink', raw);
    expect(shrunk.code).toBe(0);
    expect(shrunk.stdout).toMatch(/events -> 2, still breaking no-mnt-ns-loop/);
    expect(shrunk.stdout).toMatch(/1-minimal/);
    const minimal = join(dir, 'mnt-ns-loop-off-by-one-seed20261121-min.trace');
    expect(existsSync(minimal)).toBe(true);
    const corpus = join(dir, 'corpus');
    const promoted = mntns('corpus', 'promote', minimal, '--name', 'Self bind loop', '--corpus-dir', corpus);
    expect(promoted.code).toBe(0);
    expect(readdirSync(corpus)).toEqual(['self-bind-loop.trace']);
    expect(mntns('corpus', 'promote', minimal, '--name', 'Self bind loop', '--corpus-dir', corpus).stderr).toMatch(/exists already; choose another --name/);
    const check = mntns('corpus', 'check', '--corpus-dir', corpus);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/1 corpus trace\(s\) .*: every step replays as recorded/);
    const nothing = mntns('shrink', join(corpus, 'self-bind-loop.trace'), '--invariant', 'no-leak');
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/no step breaks no-leak/);
  });

  it('replay rejects a malformed trace and a newer format with one line and exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mntns-'));
    const garbled = join(dir, 'garbled.json');
    writeFileSync(garbled, '{"format": "mntns-trace", "version": 1, "steps": [');
    const newer = join(dir, 'newer.json');
    writeFileSync(newer, '{"format": "mntns-trace", "version": 99, "steps": []}');
    const first = mntns('replay', garbled);
    expect(first.code).toBe(2);
    expect(first.stderr).toMatch(/garbled\.json:1: not a JSON trace/);
    const second = mntns('replay', newer);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/newer\.json:1: this trace was written by a newer mntns \(format 99, this one reads up to 2\); upgrade mntns/);
    const lines = join(dir, 'unknown.trace');
    writeFileSync(lines, 'mntns-trace 2\n\n[pid 1] frob("/mnt") = 0\n');
    const third = mntns('replay', lines);
    expect(third.code).toBe(2);
    expect(third.stderr).toMatch(/unknown\.trace:3: unknown event "frob"; known events: clone, /);
    expect(third.stderr.trim().split('\n')).toHaveLength(1);
    const missing = mntns('replay', join(dir, 'absent.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the trace file/);
  });

  it('Ctrl-C stops a long check between chunks and prints what ran (exit 130)', async () => {
    const child = spawn(process.execPath, [CLI, 'check', '--runs', '100000000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.once('data', () => child.kill('SIGINT')); // the first progress line: runs are under way
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stdout).toMatch(/interrupted \(Ctrl-C\): the figures above are what ran/);
    expect(stdout).toMatch(/explored \d+ random interleavings \(of 100000000 planned/);
  });
});

describe('reports', () => {
  it('check writes its JSON and JUnit report, and report merge joins the shards of a campaign', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mntns-'));
    for (const index of [1, 2]) {
      const run = mntns('check', '--runs', '100', '--shard', `${index}/2`, '--report-dir', join(dir, `shard${index}`), '--failures-dir', join(dir, 'f'));
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`report: ${join(dir, `shard${index}`, `check-shard${index}of2.json`)}, `);
    }
    // 10 of the syscall model, 5 of nsfs-stash, 2 of mntput-fast-path
    expect(readFileSync(join(dir, 'shard1', 'check-shard1of2.junit.xml'), 'utf8')).toMatch(/<testsuite name="mntns check: invariants" tests="17" failures="0"/);
    const merged = mntns('report', 'merge', join(dir, 'shard1', 'check-shard1of2.json'), join(dir, 'shard2', 'check-shard2of2.json'), '--out', dir);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toMatch(/^2 shard\(s\) merged \(1\/2, 2\/2\): /);
    expect(merged.stdout).toMatch(/verdict: held/);
    const record = JSON.parse(readFileSync(join(dir, 'check-merged.json'), 'utf8')) as { deterministic: { figures: { runs: number } } };
    expect(record.deterministic.figures.runs).toBe(100);
    const bad = mntns('report', 'merge', join(dir, 'nope.json'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/nope\.json: cannot read the report; check the path/);
  });
});
