import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED } from '../properties/index.js';
import { runCampaign } from '../traces/index.js';
import { checkReport, mutantsReport } from './build.js';
import { CODE, SEMANTIC } from './html/test-helpers.js';
import { renderSummary } from './summary.js';

const settings = { seed: DEFAULT_SEED, runs: 200, timeLimitMs: null, maxCommands: 80, stats: false, saved: [] } as const;

describe('the plain-text summary of a result record', () => {
  it('gives the verdict, the statement, each invariant, the trace and the coverage, with timing and host last', async () => {
    const report = checkReport(await runCampaign({ ...settings, bug: 'mnt-ns-loop-off-by-one' }), settings, '.mntns/failures/x.trace');
    const text = renderSummary(report);
    expect(text).toMatch(/^mntns check: violated\nan invariant was violated: no-mnt-ns-loop, by a trace of 2 events\n/);
    expect(text).toContain('  VIOLATED  no-mnt-ns-loop\n');
    expect(text).toContain('  held      refcounts-sound\n');
    // the namespace binds its own nsfs file onto a file made just before (NSFS_TARGETS: /mnt/f or /tmp/f)
    expect(text).toMatch(/\n    2  \[pid 1\] mount\("\/proc\/self\/ns\/mnt", "\/(mnt|tmp)\/f", NULL, MS_BIND\) = 0\n/);
    expect(text).toContain('  saved to .mntns/failures/x.trace\n');
    expect(text).toMatch(/\nsemantic coverage: \d+ of \d+ checks reached, \d+ unreachable by design\ncode coverage: not measured in this run\n/);
    expect(text.trimEnd().split('\n').slice(-2)[0]).toMatch(/^timing: \d+\.\d\d s, first counterexample after \d+\.\d\d s$/);
    const measured = renderSummary({ ...report, deterministic: { ...report.deterministic, semanticCoverage: SEMANTIC }, codeCoverage: CODE });
    expect(measured).toContain('semantic coverage: 2 of 4 checks reached, 1 unreachable by design\n');
    expect(measured).toContain('code coverage (c8, mntns check --seed 1 --runs 1): lines 900/1000, branches 45/60, functions 99/100\n');
  });
  it('lists the seeded bugs of a mutants run', () => {
    const row = { mustFire: 'no-leak', found: true, byDirectedTrace: false, runs: 3, ms: 1, shrunkLength: 1, minimalLength: 1 } as const;
    const text = renderSummary(mutantsReport([{ ...row, id: 'umount-tree-keeps-mnt-ns', fired: ['refcounts-sound'], expectedFired: false }], { seed: 1, runs: 10 }));
    expect(text).toContain('  umount-tree-keeps-mnt-ns: caught by refcounts-sound, not no-leak (must be caught by no-leak; 3 runs, shrunk to 1 of minimal 1)\n');
  });
});
