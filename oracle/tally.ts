// The figures of a differential campaign, counted from its comparisons: per modelled syscall the
// steps compared and the outcomes the kernel gave (success or each errno), with how many of them
// agreed, differed by a deliberate deviation or differed unexplained; per deliberate deviation the
// steps it explains; per kind of unexplained disagreement the runs that met it. A run is compared
// up to and including its first unexplained difference: after it model and kernel are in different
// states, so the steps that follow are counted apart and not tallied per syscall.
import type { EventType } from '../model/index.js';
import { EVENT_TYPES } from '../model/index.js';
import type { Comparison, StepComparison } from './compare.js';
import { unexplained } from './compare.js';
import { DEVIATIONS } from './deviations.js';

export interface OutcomeTally {
  /** What the kernel returned: 'success', an errno name, or 'not run' when the harness had stopped. */
  readonly outcome: string;
  readonly steps: number;
  readonly agreed: number;
  readonly deviated: number;
  readonly differed: number;
}

export interface SyscallTally {
  readonly syscall: EventType;
  readonly steps: number;
  /** Sorted by outcome, 'success' first. */
  readonly outcomes: readonly OutcomeTally[];
}

export interface DeviationTally {
  readonly name: string;
  readonly reason: string;
  readonly steps: number;
  readonly runs: number;
}

export interface KindTally {
  readonly kind: string;
  readonly syscall: EventType;
  /** Runs whose first unexplained difference is of this kind. */
  readonly runs: number;
  readonly firstRun: number;
}

export interface CampaignTally {
  readonly runs: number;
  /** Every event of every run, replayed on both sides. */
  readonly events: number;
  /** Steps up to and including each run's first unexplained difference. */
  readonly stepsCompared: number;
  readonly stepsAgreed: number;
  readonly stepsDeviated: number;
  readonly stepsDiffered: number;
  /** Steps after a run's first unexplained difference, not compared. */
  readonly stepsAfterDisagreement: number;
  readonly runsDisagreeing: number;
  /** Runs in which the harness stopped before the end (a timeout, its death). */
  readonly runsHarnessStopped: number;
  /** Every modelled syscall, in the order of model/events.ts, run or not. */
  readonly syscalls: readonly SyscallTally[];
  /** The modelled syscalls no step of the campaign compared. */
  readonly neverRun: readonly EventType[];
  /** Every deliberate deviation of oracle/deviations.ts, in its order, 0 where it never applied. */
  readonly deviations: readonly DeviationTally[];
  /** In the order they were first met. */
  readonly kinds: readonly KindTally[];
}

const outcomeOf = (entry: StepComparison): string => {
  if (entry.kernel === null) return 'not run';
  const errno = /^-1 (\S+)$/.exec(entry.kernel.result)?.[1];
  return errno ?? 'success';
};

const resultPart = (result: string): string => /^-1 (\S+)$/.exec(result)?.[1] ?? 'ok';

/**
 * The kind of a disagreement: the syscall and what differs: the result (model's and kernel's
 * outcome, errno or ok), the namespace of a task, the mount tables, or the harness having stopped.
 */
export function disagreementKind(entry: StepComparison): string {
  const first = entry.differences[0] ?? '';
  if (entry.kernel === null) return `${entry.event.type}: harness stopped`;
  if (first.startsWith('result:')) return `${entry.event.type}: result model ${resultPart(entry.model.result)}, kernel ${resultPart(entry.kernel.result)}`;
  if (/^[-+] (model|kernel) +pid \d+ ns#/.test(first)) return `${entry.event.type}: namespaces`;
  return `${entry.event.type}: mount table`;
}

interface Counter {
  steps: number;
  agreed: number;
  deviated: number;
  differed: number;
}

/** A tally being counted, one run at a time; read() gives the figures so far. */
export interface TallyCounter {
  /** Count one run's comparison. */
  add(run: number, comparison: Comparison): void;
  read(): CampaignTally;
}

export function tallyCounter(): TallyCounter {
  const perSyscall = new Map<EventType, Map<string, Counter>>(EVENT_TYPES.map((type) => [type, new Map()]));
  const deviationSteps = new Map<string, { steps: number; runs: number }>(DEVIATIONS.map((deviation) => [deviation.name, { steps: 0, runs: 0 }]));
  const kinds = new Map<string, { syscall: EventType; runs: number; firstRun: number }>();
  const totals = { runs: 0, events: 0, compared: 0, agreed: 0, deviated: 0, differed: 0, after: 0, disagreeing: 0, harnessStopped: 0 };
  return {
    add(run, comparison) {
      totals.runs++;
      totals.events += comparison.steps.length;
      if (comparison.fatal !== null || comparison.steps.some((entry) => entry.kernel === null)) totals.harnessStopped++;
      const firstDifference = comparison.steps.findIndex(unexplained);
      const compared = firstDifference < 0 ? comparison.steps : comparison.steps.slice(0, firstDifference + 1);
      totals.after += comparison.steps.length - compared.length;
      const deviationsOfRun = new Set<string>();
      for (const entry of compared) {
        const outcomes = perSyscall.get(entry.event.type);
        if (outcomes === undefined) continue;
        const outcome = outcomeOf(entry);
        const counter = outcomes.get(outcome) ?? { steps: 0, agreed: 0, deviated: 0, differed: 0 };
        outcomes.set(outcome, counter);
        counter.steps++;
        totals.compared++;
        if (entry.differences.length === 0) {
          counter.agreed++;
          totals.agreed++;
        } else if (entry.deviations.length > 0) {
          counter.deviated++;
          totals.deviated++;
          for (const deviation of entry.deviations) {
            const count = deviationSteps.get(deviation.name);
            if (count !== undefined) count.steps++;
            deviationsOfRun.add(deviation.name);
          }
        } else {
          counter.differed++;
          totals.differed++;
        }
      }
      for (const name of deviationsOfRun) {
        const count = deviationSteps.get(name);
        if (count !== undefined) count.runs++;
      }
      const differing = comparison.steps[firstDifference];
      if (differing !== undefined) {
        totals.disagreeing++;
        const kind = disagreementKind(differing);
        const seen = kinds.get(kind) ?? { syscall: differing.event.type, runs: 0, firstRun: run };
        seen.runs++;
        kinds.set(kind, seen);
      }
    },
    read() {
      const syscalls: SyscallTally[] = EVENT_TYPES.map((syscall) => {
        const outcomes = [...(perSyscall.get(syscall) ?? new Map<string, Counter>()).entries()]
          .map(([outcome, counter]) => ({ outcome, ...counter }))
          .sort((a, b) => (a.outcome === 'success' ? -1 : b.outcome === 'success' ? 1 : a.outcome < b.outcome ? -1 : a.outcome > b.outcome ? 1 : 0));
        return { syscall, steps: outcomes.reduce((sum, outcome) => sum + outcome.steps, 0), outcomes };
      });
      return {
        runs: totals.runs,
        events: totals.events,
        stepsCompared: totals.compared,
        stepsAgreed: totals.agreed,
        stepsDeviated: totals.deviated,
        stepsDiffered: totals.differed,
        stepsAfterDisagreement: totals.after,
        runsDisagreeing: totals.disagreeing,
        runsHarnessStopped: totals.harnessStopped,
        syscalls,
        neverRun: syscalls.filter((syscall) => syscall.steps === 0).map((syscall) => syscall.syscall),
        deviations: DEVIATIONS.map((deviation) => ({ name: deviation.name, reason: deviation.reason, ...(deviationSteps.get(deviation.name) ?? { steps: 0, runs: 0 }) })),
        kinds: [...kinds.entries()].map(([kind, seen]) => ({ kind, ...seen })),
      };
    },
  };
}
