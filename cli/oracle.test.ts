// `mntns oracle` as a user meets it. Runs the built CLI (npm test builds before testing).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { oracleUnavailable } from '../oracle/index.js';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');
const TRACE = join(import.meta.dirname, '..', 'oracle', 'traces', 'nsfs-bind-loop-rule.trace');

function mntns(args: readonly string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('mntns oracle', () => {
  it.each([
    [['oracle'], {}, /mntns oracle: name a trace file/],
    [['oracle', '/no/such.trace.json'], {}, /\/no\/such.trace.json: cannot read the trace file( \(ENOENT\))?; check the path/],
    [['oracle', TRACE], { MNTNS_ORACLE_HARNESS: '/no/such/harness' }, /oracle: no harness at \/no\/such\/harness .*run npm run build with cc installed/],
    [['oracle', TRACE, '--seed', '3'], {}, /mntns oracle: --seed belongs to a campaign; add --runs N, or drop it to replay /],
    [['oracle', '--runs', '5', '--report-dir'], {}, /mntns oracle: .*report-dir/],
  ])('%j fails with one line on stderr and exit 2', (args, env, message) => {
    const run = mntns(args, env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  const unavailable = oracleUnavailable();
  it.skipIf(unavailable !== null)(`prints every step's agreement and exits 0${unavailable === null ? '' : ` (skipped: ${unavailable})`}`, () => {
    const run = mntns(['oracle', TRACE]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/mount\("\/proc\/self\/ns\/mnt", "\/tmp\/f", NULL, MS_BIND\) = -1 EINVAL {3}agree/);
    expect(run.stdout).toMatch(/model and kernel agree on all 12 steps\n$/);
  });
});
