// A campaign as `mntns check` runs it: first the counterexamples saved by earlier runs (the failure
// database), then the random budget; whatever fails is shrunk to a 1-minimal trace. Saving is the
// caller's: every counterexample is handed over the moment it is found, each time shrinking makes
// it shorter, and once it is minimal, so a run killed half-way leaves its best trace on disk.
import type { Event } from '../model/index.js';
import type { CheckResult, CheckSettings, Counterexample, TraceStep, Violation } from '../properties/index.js';
import { INVARIANT_NAMES, newOutcomeTally, outcomeHits, runCheck, runEvents } from '../properties/index.js';
import { shrinkEvents } from './shrink.js';

/** A counterexample saved by an earlier run, to replay before anything else. */
export interface SavedCounterexample {
  /** Its file, or another name a person recognises. */
  readonly name: string;
  readonly events: readonly Event[];
}

export type CounterexampleSource = { readonly kind: 'random' } | { readonly kind: 'saved'; readonly name: string };

export interface MinimalCounterexample extends Counterexample {
  readonly source: CounterexampleSource;
  /** Length after fast-check's shrinking, before the 1-minimal pass. */
  readonly fastCheckLength: number;
  /** True when no single removal or simplification reproduces the violation any more. */
  readonly minimal: boolean;
}

export interface CampaignSettings extends CheckSettings {
  readonly saved: readonly SavedCounterexample[];
  /** Each shorter counterexample found while shrinking (fast-check's pass, then the 1-minimal pass). */
  readonly onShrunk?: (steps: readonly TraceStep[], violations: readonly Violation[], source: CounterexampleSource) => void;
}

export interface CampaignResult extends Omit<CheckResult, 'counterexample'> {
  /** The saved counterexamples replayed first, and whether each still fails. */
  readonly replayed: readonly { readonly name: string; readonly stillFails: boolean }[];
  readonly counterexample: MinimalCounterexample | null;
}

/** Shrinks a counterexample to 1-minimal, keeping its first invariant broken. */
function minimise(
  steps: readonly TraceStep[],
  violations: readonly Violation[],
  settings: CampaignSettings,
  source: CounterexampleSource,
): { steps: readonly TraceStep[]; violations: readonly Violation[]; minimal: boolean } {
  const invariant = violations[0]?.invariant;
  if (invariant === undefined) return { steps, violations, minimal: false };
  const model = settings.bug === null ? {} : { bug: settings.bug };
  const shrunk = shrinkEvents(
    steps.map((recorded) => recorded.event),
    {
      model,
      invariant,
      onProgress: (events, found) => settings.onShrunk?.(runEvents(events, { model }).steps, found, source),
    },
  );
  const outcome = runEvents(shrunk.events, { model });
  return { steps: outcome.steps, violations: outcome.failure?.violations ?? shrunk.violations, minimal: shrunk.minimal };
}

export async function runCampaign(settings: CampaignSettings): Promise<CampaignResult> {
  const started = performance.now();
  const model = settings.bug === null ? {} : { bug: settings.bug };
  const replayed: { name: string; stillFails: boolean }[] = [];
  const outcomes = settings.outcomes ?? newOutcomeTally();
  for (const saved of settings.saved) {
    const outcome = runEvents(saved.events, { model, outcomes });
    replayed.push({ name: saved.name, stillFails: outcome.failure !== null });
    if (outcome.failure === null) continue;
    const failing = outcome.steps.slice(0, outcome.failure.step + 1);
    const source: CounterexampleSource = { kind: 'saved', name: saved.name };
    settings.onShrunk?.(failing, outcome.failure.violations, source);
    const shrunk = minimise(failing, outcome.failure.violations, settings, source);
    settings.onShrunk?.(shrunk.steps, shrunk.violations, source);
    return {
      seed: settings.seed,
      runsPlanned: settings.runs,
      runsDone: 0,
      events: outcome.steps.length,
      maxCommands: settings.maxCommands,
      bug: settings.bug,
      invariants: INVARIANT_NAMES,
      elapsedMs: performance.now() - started,
      stoppedBy: 'violation',
      features: null,
      outcomes: outcomeHits(outcomes),
      replayed,
      counterexample: {
        run: 0,
        msToFind: performance.now() - started,
        rawLength: saved.events.length,
        steps: shrunk.steps,
        violations: shrunk.violations,
        shrinks: 0,
        source,
        fastCheckLength: failing.length,
        minimal: shrunk.minimal,
      },
    };
  }
  const random: CounterexampleSource = { kind: 'random' };
  const onShrunk = settings.onShrunk;
  const result = await runCheck(
    onShrunk === undefined
      ? { ...settings, outcomes }
      : { ...settings, outcomes, onShrinkProgress: (steps, violations) => onShrunk(steps, violations, random) },
  );
  const found = result.counterexample;
  if (found === null) return { ...result, replayed, counterexample: null };
  const shrunk = minimise(found.steps, found.violations, settings, random);
  settings.onShrunk?.(shrunk.steps, shrunk.violations, random);
  return {
    ...result,
    elapsedMs: performance.now() - started,
    replayed,
    counterexample: {
      ...found,
      steps: shrunk.steps,
      violations: shrunk.violations,
      source: random,
      fastCheckLength: found.steps.length,
      minimal: shrunk.minimal,
    },
  };
}
