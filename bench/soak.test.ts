import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkCommand, parseCheckOptions } from '../cli/check.js';
import type { MemorySample } from './soak.js';
import { growthBetween, renderSoak, runSoak, SOAK_RUNS, soakArgs } from './soak.js';

const dirs: string[] = [];
const scratch = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'mntns-soak-test-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const sample = (label: string, rssBytes: number, heapUsedBytes: number): MemorySample => ({ label, atMs: 0, rssBytes, heapUsedBytes });

describe('bench soak', () => {
  it('asks mntns check for the time limit, the most runs it takes, and a folder of its own', () => {
    const options = parseCheckOptions(soakArgs(600, '/tmp/soak'));
    expect(options.timeLimitMs).toBe(600_000);
    expect(options.runs).toBe(SOAK_RUNS);
    expect(options.replaySaved).toBe(false);
    expect(options.failuresDir).toBe('/tmp/soak/failures');
    expect(options.reportDir).toBe('/tmp/soak/reports');
  });

  it('measures growth as the last sample less the first', () => {
    expect(growthBetween(sample('start', 10, 5), sample('end', 25, 3))).toEqual({ rssBytes: 15, heapUsedBytes: -2 });
    expect(growthBetween(undefined, sample('end', 1, 1))).toBeNull();
  });

  it('samples at the start, at each interval while the check runs, and at the end', async () => {
    let seen: readonly string[] = [];
    const result = await runSoak({
      seconds: 1,
      sampleEveryMs: 20,
      dir: '/tmp/unused',
      check: async (args) => {
        seen = args;
        await new Promise((resolve) => setTimeout(resolve, 90));
        return 0;
      },
    });
    expect(seen).toEqual(soakArgs(1, '/tmp/unused'));
    expect(result.samples[0]?.label).toBe('start');
    expect(result.samples[result.samples.length - 1]?.label).toBe('end');
    expect(result.samples.length).toBeGreaterThanOrEqual(3);
    expect(result.growthAfterWarmup).not.toBeNull();
    const text = renderSoak(result);
    expect(text).toContain(`mntns check ${soakArgs(1, '/tmp/unused').join(' ')}`);
    expect(text).toMatch(/^ {2}end .* rss .* heapUsed/m);
  });

  it('keeps mntns check running until its time limit, not until the default runs', async () => {
    const dir = scratch();
    const printed: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => printed.push(String(chunk)) > 0);
    const result = await runSoak({ seconds: 2, sampleEveryMs: 1000, dir, check: checkCommand }).finally(() => write.mockRestore());
    expect(printed.join('')).toContain('stopped by --time-limit before the planned runs');
    expect(result.exitCode).toBe(0);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(2000);
    expect(result.checkRan?.runsPlanned).toBe(SOAK_RUNS);
    expect(result.checkRan?.statement).toMatch(/^stopped early \(time-limit\)/);
    expect(result.samples.length).toBeGreaterThanOrEqual(3);
  });
});
