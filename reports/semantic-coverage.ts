// Semantic coverage from the hit counts of a run: what it reached, and which checks of the model
// (model/checks.ts) it never reached, apart from those unreachable by design. A merge of shards
// sums the counts and builds it again, so the figures of a merged report are those of one run.
import { checkKey, MODEL_CHECKS, UNREACHABLE_BY_DESIGN } from '../model/index.js';
import type { OutcomeCount, SemanticCoverage } from './coverage.js';

export function semanticCoverage(reached: readonly OutcomeCount[]): SemanticCoverage {
  const hit = new Set(reached.filter((count) => count.outcome !== 'success' && count.hits > 0).map((count) => `${count.outcome} (${count.check})`));
  const unreached = MODEL_CHECKS.filter((entry) => !hit.has(checkKey(entry)) && !(checkKey(entry) in UNREACHABLE_BY_DESIGN));
  const unreachableByDesign = MODEL_CHECKS.filter((entry) => checkKey(entry) in UNREACHABLE_BY_DESIGN).map((entry) => ({
    errno: entry.errno,
    check: entry.check,
    reason: UNREACHABLE_BY_DESIGN[checkKey(entry)] ?? '',
  }));
  return {
    reached,
    unreached: unreached.map((entry) => ({ errno: entry.errno, check: entry.check })),
    unreachableByDesign,
    totals: {
      checks: MODEL_CHECKS.length,
      reached: MODEL_CHECKS.filter((entry) => hit.has(checkKey(entry))).length,
      unreachableByDesign: unreachableByDesign.length,
    },
  };
}

/** The terminal summary's lines: the totals, and each check never reached. */
export function semanticCoverageLines(coverage: SemanticCoverage): string[] {
  const { checks, reached, unreachableByDesign } = coverage.totals;
  const syscalls = new Set(coverage.reached.map((count) => count.syscall)).size;
  const lines = [
    `semantic coverage: ${reached} of ${checks} checks of the model reached (${unreachableByDesign} unreachable by design), over ${coverage.reached.length} syscall x outcome x check combinations of ${syscalls} syscalls`,
  ];
  if (coverage.unreached.length > 0) {
    lines.push(`  never reached (${coverage.unreached.length}):`);
    for (const entry of coverage.unreached) lines.push(`    ${entry.errno} (${entry.check})`);
  }
  return lines;
}
