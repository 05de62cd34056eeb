import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Event } from '../model/index.js';
import { EVENT_TYPES, initialState, step } from '../model/index.js';
import { DEFAULT_MAX_COMMANDS, DEFAULT_SEED } from '../properties/index.js';
import { oracleCampaign } from '../cli/oracle-campaign.js';
import type { FoundDisagreement } from './index.js';
import { campaignEvents, deviationsAt, oracleUnavailable, runOracleCampaign } from './index.js';
import { modelAsKernel } from './test-helpers.js';

/** The fake kernel's one disagreement: a successful mkdir of /mnt/b fails EROFS on it. */
const isRofsMkdir = (event: Event, result: string): boolean => event.type === 'mkdir' && event.path === '/mnt/b' && result === '0';
const rofsMkdir = modelAsKernel((event, result) => (isRofsMkdir(event, result) ? '-1 EROFS' : null));
const settings = { runs: 40, seed: 5, maxCommands: 40 } as const;

/** The runs with a mkdir("/mnt/b") = 0 that no deviation explains, counted on the model alone. */
function runsWithRofsMkdir(): number[] {
  const runs: number[] = [];
  for (let run = 1; run <= settings.runs; run++) {
    let state = initialState();
    const events = campaignEvents(settings.seed, run, settings.maxCommands);
    const hit = events.some((event, index) => {
      const outcome = step(state, event);
      state = outcome.state;
      // where a deliberate deviation applies, the difference is explained and no disagreement
      return isRofsMkdir(event, outcome.result.ok ? String(outcome.result.value) : 'failed') && deviationsAt(events.slice(0, index + 1)).length === 0;
    });
    if (hit) runs.push(run);
  }
  return runs;
}

describe('a differential campaign (against a stand-in kernel)', () => {
  it('counts every run of a kind of disagreement, and shrinks and hands over the kind once, the moment it is met', async () => {
    const expected = runsWithRofsMkdir();
    expect(expected.length).toBeGreaterThan(1);
    const handed: { found: FoundDisagreement; runsDoneBefore: number }[] = [];
    let runsDone = 0;
    const result = await runOracleCampaign({
      ...settings,
      compare: rofsMkdir,
      onRun: (progress) => (runsDone = progress.runsDone),
      onDisagreement: (found) => handed.push({ found, runsDoneBefore: runsDone }),
    });
    expect(result.runsDone).toBe(settings.runs);
    expect(result.stoppedBy).toBe('runs');
    expect(result.tally.kinds).toEqual([{ kind: 'mkdir: result model ok, kernel EROFS', syscall: 'mkdir', runs: expected.length, firstRun: expected[0] }]);
    expect(handed).toHaveLength(1);
    expect(handed[0]?.runsDoneBefore).toBe((expected[0] ?? 0) - 1);
    const found = result.disagreements[0];
    expect(found?.shrunk).toBe(true);
    // /mnt exists from boot: before the mkdir, at most the clones that made its task, each by the task the one before made
    const events = found?.steps.map((entry) => entry.event) ?? [];
    expect(events.at(-1)).toMatchObject({ type: 'mkdir', path: '/mnt/b', task: events.length });
    events.slice(0, -1).forEach((event, index) => expect(event).toMatchObject({ type: 'clone', task: index + 1 }));
    expect(found?.steps.at(-1)?.differences).toEqual(['result: model 0, kernel -1 EROFS']);
  });

  it('stops between runs when asked, and drops the run in flight when the stop came during it', async () => {
    let compares = 0;
    const stopInSixth = async (events: readonly Event[]) => {
      compares++;
      return modelAsKernel()(events);
    };
    const result = await runOracleCampaign({ ...settings, compare: stopInSixth, shouldStop: () => compares >= 6 });
    expect(compares).toBe(6);
    expect(result.runsDone).toBe(5);
    expect(result.tally.runs).toBe(5);
    expect(result.stoppedBy).toBe('interrupted');
    const events = [1, 2, 3, 4, 5].reduce((sum, run) => sum + campaignEvents(settings.seed, run, settings.maxCommands).length, 0);
    expect(result.tally.events).toBe(events);
  });

  it('runs every modelled syscall at the default length: the generators produce each of them', async () => {
    const result = await runOracleCampaign({ runs: 60, seed: DEFAULT_SEED, maxCommands: DEFAULT_MAX_COMMANDS, compare: modelAsKernel() });
    expect(result.tally.neverRun).toEqual([]);
    expect(result.tally.syscalls.map((syscall) => syscall.syscall)).toEqual(EVENT_TYPES);
    expect(result.tally.stepsAgreed).toBe(result.tally.events);
  });
});

const unavailable = oracleUnavailable();

describe.skipIf(unavailable !== null)(`the bounded campaign against the kernel${unavailable === null ? '' : ` (skipped: ${unavailable})`}`, () => {
  it('finds no unexplained disagreement in 40 runs of the default seed, and writes its record', async () => {
    const before = readFileSync('/proc/self/mountinfo');
    const dir = mkdtempSync(join(tmpdir(), 'mntns-campaign-'));
    const lines: string[] = [];
    const outcome = await oracleCampaign(
      { runs: 40, seed: DEFAULT_SEED, maxCommands: DEFAULT_MAX_COMMANDS, failuresDir: join(dir, 'failures'), reportDir: join(dir, 'reports'), stepTimeoutMs: 5000 },
      { out: (text) => lines.push(text), progress: process.stderr },
    );
    expect(outcome.reportPaths.map((path) => existsSync(path))).toEqual([true, true, true, true]);
    expect(JSON.parse(readFileSync(join(dir, 'reports', 'oracle.json'), 'utf8'))).toMatchObject({ deterministic: { command: 'oracle', figures: { runs: 40 } } });
    expect(outcome.result.tally.runsHarnessStopped).toBe(0);
    // the kinds by name, so a failure says which disagreements remain
    expect(outcome.result.tally.kinds.map((kind) => `${kind.kind} (${kind.runs} runs, first at run ${kind.firstRun})`)).toEqual([]);
    expect(outcome.report.deterministic.verdict).toBe('held');
    expect(outcome.code).toBe(0);
    expect(readFileSync('/proc/self/mountinfo').equals(before)).toBe(true);
  });
});
