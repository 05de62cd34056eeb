// The campaign record of `mntns oracle --runs N`: built, rendered and written, here against a
// stand-in kernel (the model itself, with one difference injected) so it runs without root; and
// Ctrl-C on the real one, as root.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { oracleUnavailable } from '../oracle/index.js';
import { modelAsKernel } from '../oracle/test-helpers.js';
import { KERNEL_AGREEMENT, renderDeterministicJson } from '../reports/index.js';
import { loadTrace } from '../traces/index.js';
import type { OracleCampaignOptions } from './oracle-campaign.js';
import { oracleCampaign } from './oracle-campaign.js';

const rofsMkdir = modelAsKernel((event, result) => (event.type === 'mkdir' && event.path === '/mnt/b' && result === '0' ? '-1 EROFS' : null));
const quiet = (compare: ReturnType<typeof modelAsKernel>) => {
  const out: string[] = [];
  return { out, io: { out: (text: string) => out.push(text), progress: { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream, compare } };
};

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function options(runs = 30): OracleCampaignOptions {
  const dir = mkdtempSync(join(tmpdir(), 'mntns-oracle-record-'));
  made.push(dir);
  return { runs, seed: 5, maxCommands: 40, failuresDir: join(dir, 'failures'), reportDir: join(dir, 'reports'), stepTimeoutMs: 5000 };
}

describe('the record of a differential campaign', () => {
  it('is violated by an unexplained disagreement: exit 1, the shrunk trace saved, its difference as text, JUnit failing that syscall', async () => {
    const settings = options();
    const { out, io } = quiet(rofsMkdir);
    const outcome = await oracleCampaign(settings, io);
    expect(outcome.code).toBe(1);
    const part = outcome.report.deterministic;
    expect(part.command).toBe('oracle');
    expect(part.verdict).toBe('violated');
    expect(part.statement).toMatch(/^30 runs, \d+ events on model and kernel: \d+ runs? disagreed in 1 kind no deliberate deviation explains \(mkdir: result model ok, kernel EROFS\), \d+ steps? differed by deliberate deviations$/);
    expect(part.figures.stepsCompared).toBe((part.figures.stepsAgreed ?? 0) + (part.figures.stepsDeviated ?? 0) + (part.figures.stepsDiffered ?? 0));
    expect(part.oracle?.syscalls.reduce((sum, syscall) => sum + syscall.steps, 0)).toBe(part.figures.stepsCompared);
    const saved = outcome.savedAs['mkdir: result model ok, kernel EROFS'];
    expect(saved).toBeDefined();
    const savedEvents = loadTrace(saved ?? '').steps.map((recorded) => recorded.event);
    // /mnt exists from boot: before the mkdir, at most the clones that made its task, each by the task the one before made
    expect(savedEvents.at(-1)).toMatchObject({ type: 'mkdir', path: '/mnt/b', task: savedEvents.length });
    savedEvents.slice(0, -1).forEach((event, index) => expect(event).toMatchObject({ type: 'clone', task: index + 1 }));
    expect(part.counterexamples).toEqual([
      expect.objectContaining({
        disagreement: 'mkdir: result model ok, kernel EROFS',
        steps: savedEvents.map((event, index) => ({ event, result: index === savedEvents.length - 1 ? { ok: true, value: 0 } : expect.anything() })),
        violations: [{ invariant: KERNEL_AGREEMENT, objects: [], message: `step ${savedEvents.length} mkdir: result: model 0, kernel -1 EROFS` }],
        savedAs: saved,
      }),
    ]);
    const xml = readFileSync(join(settings.reportDir, 'oracle.junit.xml'), 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(part.oracle?.syscalls.length ?? -1);
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(xml).toMatch(/name="mkdir">\n\s*<failure message="model and kernel disagree: mkdir: result model ok, kernel EROFS \(\d+ runs?\)">/);
    const text = out.join('');
    // outcomes are the kernel's: the refused mkdirs are counted under EROFS, with those the model got wrong
    expect(text).toMatch(/\n {2}mkdir +\d+ +success \d+, .*EROFS \d+ \(\d+ agreed, [1-9]\d* DIFFERED\)/);
    expect(text).toMatch(/\nunexplained disagreements: \d+ runs? in 1 kind\n {2}mkdir: result model ok, kernel EROFS: \d+ runs?, first at run \d+\n/);
    expect(text).toContain(`saved to ${saved ?? ''}; replay it with: npx mntns oracle`);
  });

  it('holds where every step agreed, names the syscalls never run, and skips them in JUnit', async () => {
    const settings = options(3);
    const { out, io } = quiet(modelAsKernel());
    const outcome = await oracleCampaign(settings, io);
    const part = outcome.report.deterministic;
    expect(outcome.code).toBe(0);
    expect(part.verdict).toBe('held');
    const neverRun = part.oracle?.neverRun ?? [];
    expect(neverRun.length).toBeGreaterThan(0); // 3 short runs cannot reach every syscall
    expect(part.statement).toBe(`3 runs, ${part.figures.events} events on model and kernel: every step agreed; never run: ${neverRun.join(', ')}`);
    expect(out.join('')).toContain(`never run by this campaign: ${neverRun.join(', ')}`);
    const xml = readFileSync(join(settings.reportDir, 'oracle.junit.xml'), 'utf8');
    expect(xml.match(/<skipped message="never run by the campaign"\/>/g)).toHaveLength(neverRun.length);
  });

  it('has a deterministic part that is byte-identical for the same seed, with the timings kept apart', async () => {
    const first = await oracleCampaign(options(), quiet(rofsMkdir).io);
    const second = await oracleCampaign(options(), quiet(rofsMkdir).io);
    const withoutSavedPaths = (json: string): string => json.replace(/"savedAs": "[^"]*"/g, '"savedAs": "..."');
    expect(withoutSavedPaths(renderDeterministicJson(second.report))).toBe(withoutSavedPaths(renderDeterministicJson(first.report)));
    expect(renderDeterministicJson(first.report)).not.toMatch(/elapsed|kernelMs|modelMs|shrinkMs/);
    expect(first.report.timing).toHaveProperty('kernelMs');
    expect(first.report.timing).toHaveProperty('modelMs');
  });
});

const unavailable = oracleUnavailable();
const CLI = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');

describe.skipIf(unavailable !== null)(`mntns oracle --runs on the kernel${unavailable === null ? '' : ` (skipped: ${unavailable})`}`, () => {
  it('stops on SIGINT between runs and still prints and writes what it found', async () => {
    const settings = options();
    const child = spawn(process.execPath, [CLI, 'oracle', '--runs', '100000', '--seed', '1', '--failures-dir', settings.failuresDir, '--report-dir', settings.reportDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // interrupt once the campaign has made progress (its first progress line on stderr)
    for (let tries = 0; tries < 400 && !/\d+\/100000 runs/.test(stderr); tries++) await new Promise((resolve) => setTimeout(resolve, 25));
    child.kill('SIGINT');
    const code = await closed;
    const report = JSON.parse(readFileSync(join(settings.reportDir, 'oracle.json'), 'utf8')) as { deterministic: { verdict: string; figures: { runs: number }; counterexamples: unknown[] } };
    expect(stdout).toContain('interrupted (Ctrl-C): the figures are what ran; the run in flight was dropped');
    expect(report.deterministic.figures.runs).toBeGreaterThan(0);
    expect(report.deterministic.figures.runs).toBeLessThan(100000);
    // what ran agreed (or each disagreement is in the record): 130 for an interrupted agreeing campaign, 1 otherwise
    expect(code).toBe(report.deterministic.counterexamples.length === 0 ? 130 : 1);
    expect(report.deterministic.verdict).toBe(report.deterministic.counterexamples.length === 0 ? 'incomplete' : 'violated');
  });
});
