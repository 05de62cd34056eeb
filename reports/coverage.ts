// The two coverage sections of a result record. Semantic coverage counts, per syscall, how often
// each outcome (success, or an errno with the kernel check that gave it) was reached; code
// coverage is c8's line, branch and function coverage of model/ under the run itself (what random
// exploration reaches, as opposed to what the unit tests reach).

export interface OutcomeCount {
  readonly syscall: string;
  /** 'success', or the errno name. */
  readonly outcome: string;
  /** The kernel check that failed ('' for success). */
  readonly check: string;
  readonly hits: number;
}

export interface CheckOfModel {
  readonly errno: string;
  readonly check: string;
}

export interface SemanticCoverage {
  /** Every (syscall, outcome, check) the run reached, with its hit count, sorted. */
  readonly reached: readonly OutcomeCount[];
  /** Checks of the model the run never reached (and that are not unreachable by design). */
  readonly unreached: readonly CheckOfModel[];
  /** Checks the default suite cannot reach, each with the reason. */
  readonly unreachableByDesign: readonly (CheckOfModel & { readonly reason: string })[];
  readonly totals: { readonly checks: number; readonly reached: number; readonly unreachableByDesign: number };
}

export interface CoverageCount {
  readonly covered: number;
  readonly total: number;
}

export interface FileCoverage {
  /** Relative to the repository, e.g. model/syscalls/mount.ts. */
  readonly file: string;
  readonly lines: CoverageCount;
  readonly branches: CoverageCount;
  readonly functions: CoverageCount;
}

export interface CodeCoverage {
  readonly tool: string;
  /** What ran under coverage, e.g. "mntns check --seed 20261121 --runs 5000". */
  readonly scope: string;
  readonly total: { readonly lines: CoverageCount; readonly branches: CoverageCount; readonly functions: CoverageCount };
  readonly files: readonly FileCoverage[];
}
