// A differential campaign: runs 1..N of the project's random interleavings replayed on the model
// and on the kernel, every step tallied (oracle/tally.ts), and each kind of unexplained
// disagreement shrunk once, the first time it is met, and handed to onDisagreement at once (so a
// campaign stopped later has lost nothing). shouldStop is asked between runs and between shrink
// replays; a run in flight when it turns true is dropped, not counted: a Ctrl-C on a terminal
// reaches the harness too, and its half-run would read as a disagreement.
import type { Event } from '../model/index.js';
import type { StepComparison } from './compare.js';
import { compareWithKernel } from './compare.js';
import type { Compare } from './fuzz.js';
import { campaignEvents, firstDifference, shrinkDisagreement } from './fuzz.js';
import type { HarnessOptions } from './harness.js';
import type { CampaignTally } from './tally.js';
import { disagreementKind, tallyCounter } from './tally.js';

export interface FoundDisagreement {
  readonly kind: string;
  /** The run that first met this kind. */
  readonly run: number;
  readonly originalLength: number;
  /** The shrunk trace's steps, the differing one last, with the model's results and the differences. */
  readonly steps: readonly StepComparison[];
  /** Whether shrinking ran to its end (every single-event removal tried). */
  readonly shrunk: boolean;
}

export interface OracleCampaignSettings {
  readonly runs: number;
  readonly seed: number;
  readonly maxCommands: number;
  readonly harness?: HarnessOptions;
  /** The replay on both sides; compareWithKernel with `harness` unless given (the tests give a stand-in). */
  readonly compare?: Compare;
  readonly shouldStop?: () => boolean;
  readonly onRun?: (progress: { readonly runsDone: number; readonly runsPlanned: number; readonly events: number; readonly disagreeing: number; readonly elapsedMs: number }) => void;
  readonly onDisagreement?: (found: FoundDisagreement) => void;
}

export interface OracleCampaignResult {
  readonly seed: number;
  readonly maxCommands: number;
  readonly runsPlanned: number;
  readonly runsDone: number;
  readonly stoppedBy: 'runs' | 'interrupted';
  readonly tally: CampaignTally;
  /** One per kind, in the order the kinds were first met. */
  readonly disagreements: readonly FoundDisagreement[];
  readonly timing: {
    readonly elapsedMs: number;
    /** The harness's wall time over the runs (not the shrinking), see Comparison.timing. */
    readonly kernelMs: number;
    /** step() over the same runs' events. */
    readonly modelMs: number;
    readonly shrinkMs: number;
  };
}

export async function runOracleCampaign(settings: OracleCampaignSettings): Promise<OracleCampaignResult> {
  const compare: Compare = settings.compare ?? ((events: readonly Event[]) => compareWithKernel(events, {}, settings.harness ?? {}));
  const shouldStop = settings.shouldStop ?? (() => false);
  const counter = tallyCounter();
  const disagreements: FoundDisagreement[] = [];
  const start = performance.now();
  const timing = { kernelMs: 0, modelMs: 0, shrinkMs: 0 };
  let runsDone = 0;
  let stoppedBy: OracleCampaignResult['stoppedBy'] = 'runs';
  for (let run = 1; run <= settings.runs; run++) {
    if (shouldStop()) {
      stoppedBy = 'interrupted';
      break;
    }
    const events = campaignEvents(settings.seed, run, settings.maxCommands);
    const comparison = await compare(events);
    if (shouldStop()) {
      stoppedBy = 'interrupted';
      break;
    }
    runsDone = run;
    counter.add(run, comparison);
    timing.kernelMs += comparison.timing.kernelMs;
    timing.modelMs += comparison.timing.modelMs;
    const difference = firstDifference(comparison);
    if (difference !== undefined) {
      const kind = disagreementKind(difference);
      if (!disagreements.some((found) => found.kind === kind)) {
        const shrinkStart = performance.now();
        const shrunk = await shrinkDisagreement(events, kind, compare, shouldStop);
        timing.shrinkMs += performance.now() - shrinkStart;
        const found: FoundDisagreement = {
          kind,
          run,
          originalLength: events.length,
          steps: shrunk?.steps ?? comparison.steps.slice(0, difference.index),
          shrunk: shrunk?.complete ?? false,
        };
        disagreements.push(found);
        settings.onDisagreement?.(found);
      }
    }
    const tally = counter.read();
    settings.onRun?.({ runsDone, runsPlanned: settings.runs, events: tally.events, disagreeing: tally.runsDisagreeing, elapsedMs: performance.now() - start });
  }
  return {
    seed: settings.seed,
    maxCommands: settings.maxCommands,
    runsPlanned: settings.runs,
    runsDone,
    stoppedBy,
    tally: counter.read(),
    disagreements,
    timing: { elapsedMs: performance.now() - start, ...timing },
  };
}
