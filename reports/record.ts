// One result record per run, whatever ran it (mntns check, explore, mutants, oracle), which every
// rendering reads: JSON for tools, JUnit XML for CI, and the terminal and HTML summaries. Its
// deterministic part is a function of the settings alone (the same seed gives the same bytes);
// what depends on the machine and the clock is kept apart, in timing and host.
import type { Event, Result, SeededBugId } from '../model/index.js';
import type { Violation } from '../properties/index.js';
import type { ProtocolEvent, ProtocolViolation, StepResult } from '../protocols/index.js';
import type { CodeCoverage, SemanticCoverage } from './coverage.js';

export const REPORT_FORMAT = 'mntns-report';
export const REPORT_VERSION = 1;

export type RunCommand = 'check' | 'explore' | 'mutants' | 'oracle';
export type Verdict = 'held' | 'violated' | 'incomplete';

export interface InvariantVerdict {
  readonly name: string;
  readonly guards: string;
  /** held: checked after every event and never broken; violated: broken by a counterexample below. */
  readonly verdict: 'held' | 'violated';
  readonly violations: readonly (Violation | ProtocolViolation)[];
  /** The protocol model the invariant belongs to; absent for the syscall model's. */
  readonly protocol?: string;
}

/** One atomic step of a protocol counterexample, with its trace line. */
export interface ReportProtocolStep {
  readonly event: ProtocolEvent;
  readonly result: StepResult;
  readonly line: string;
}

export interface ReportCounterexample {
  /** Where it was found: "random run 15", "saved .mntns/failures/x.trace", "breadth-first search". */
  readonly source: string;
  readonly bug: SeededBugId | string | null;
  /** The syscalls; empty for a protocol counterexample, whose steps are protocolSteps. */
  readonly steps: readonly { readonly event: Event; readonly result: Result }[];
  readonly violations: readonly (Violation | ProtocolViolation)[];
  /** The protocol model it breaks, and its atomic steps; absent for the syscall model. */
  readonly protocol?: string;
  readonly protocolSteps?: readonly ReportProtocolStep[];
  /** Shrunk so that no single event or argument can go (or, from explore, a shortest one). */
  readonly minimal: boolean;
  /** Where the trace was saved, if it was. */
  readonly savedAs: string | null;
  /** mntns oracle: the kind of disagreement (syscall and what differs) the trace shows. */
  readonly disagreement?: string;
}

export interface SeededBugVerdict {
  /** A seeded bug of the syscall model, or of the protocol model named by `protocol`. */
  readonly id: SeededBugId | string;
  readonly protocol?: string;
  readonly mustFire: string;
  readonly fired: readonly string[];
  readonly found: boolean;
  readonly caughtAsRequired: boolean;
  readonly byDirectedTrace: boolean;
  readonly runs: number;
  readonly shrunkLength: number | null;
  readonly minimalLength: number;
}

/** One outcome the kernel gave a syscall in a differential campaign, and how the model matched it. */
export interface OracleOutcomeFigure {
  /** 'success', an errno name, or 'not run' (the harness had stopped). */
  readonly outcome: string;
  readonly steps: number;
  readonly agreed: number;
  /** Differed where a deliberate deviation (oracle/deviations.ts) applies. */
  readonly deviated: number;
  /** Differed with no deliberate deviation to explain it. */
  readonly differed: number;
}

/** What mntns oracle --runs found, beyond the figures. */
export interface OracleSection {
  /** Every modelled syscall, in the order of model/events.ts: the steps compared and their outcomes on the kernel. */
  readonly syscalls: readonly { readonly syscall: string; readonly steps: number; readonly outcomes: readonly OracleOutcomeFigure[] }[];
  /** Modelled syscalls the campaign never ran. */
  readonly neverRun: readonly string[];
  /** Every deliberate deviation, with the steps it explained and the runs they were in. */
  readonly deviations: readonly { readonly name: string; readonly reason: string; readonly steps: number; readonly runs: number }[];
  /** Each kind of unexplained disagreement (syscall and what differs), with the runs that met it first. */
  readonly disagreements: readonly { readonly kind: string; readonly syscall: string; readonly runs: number; readonly firstRun: number }[];
}

export interface DeterministicPart {
  readonly format: typeof REPORT_FORMAT;
  readonly version: number;
  readonly command: RunCommand;
  readonly verdict: Verdict;
  /** One sentence: what was explored and what it proves. */
  readonly statement: string;
  readonly settings: Readonly<Record<string, string | number | boolean | null>>;
  readonly figures: Readonly<Record<string, number>>;
  readonly invariants: readonly InvariantVerdict[];
  readonly counterexamples: readonly ReportCounterexample[];
  readonly seededBugs: readonly SeededBugVerdict[];
  /** Runs reaching each deep state (check --stats), by name. */
  readonly features: Readonly<Record<string, number>> | null;
  /** The shards merged into this report, as "i/N"; empty for a run that was not sharded. */
  readonly shards: readonly string[];
  /** Syscall x outcome x check hit counts, where the run counted them. */
  readonly semanticCoverage?: SemanticCoverage | null;
  /** The per-syscall table, deviations and disagreement kinds of a differential campaign. */
  readonly oracle?: OracleSection | null;
}

export interface RunReport {
  readonly deterministic: DeterministicPart;
  readonly timing: {
    readonly elapsedMs: number;
    readonly msToFirstCounterexample: number | null;
    /** mntns oracle: the harness's wall time over the runs, step() over the same events, and shrinking. */
    readonly kernelMs?: number;
    readonly modelMs?: number;
    readonly shrinkMs?: number;
  };
  readonly host: { readonly node: string; readonly platform: string; readonly cpus: number; /** mntns oracle: the running kernel's release. */ readonly kernel?: string };
  /** c8 coverage of model/ under this run, where it was measured. */
  readonly codeCoverage?: CodeCoverage | null;
}
