// The plain-text rendering of a result record (<stem>.txt beside the JSON, JUnit and HTML ones):
// what the terminal summary says, read from the record alone, so every rendering of a run comes
// from the same RunReport. Timing and host come last, apart from the deterministic part.
import { formatStep } from '../traces/index.js';
import type { RunReport } from './record.js';

const value = (text: string | number | boolean | null): string => (text === null ? 'none' : String(text));

export function renderSummary(report: RunReport): string {
  const part = report.deterministic;
  const lines: string[] = [`mntns ${part.command}: ${part.verdict}`, part.statement];
  if (part.shards.length > 0) lines.push(`shards merged: ${part.shards.join(', ')}`);
  lines.push('', 'settings:', ...Object.entries(part.settings).map(([name, setting]) => `  ${name}: ${value(setting)}`));
  lines.push('figures:', ...Object.entries(part.figures).map(([name, figure]) => `  ${name}: ${figure}`));
  if (part.invariants.length > 0) {
    lines.push('', 'invariants:');
    for (const invariant of part.invariants) {
      lines.push(`  ${invariant.verdict === 'held' ? 'held    ' : 'VIOLATED'}  ${invariant.name}`);
      for (const violation of invariant.violations) lines.push(`            ${violation.message}`);
    }
  }
  part.counterexamples.forEach((counterexample, index) => {
    const what = counterexample.bug === null ? 'the model' : `seeded bug ${counterexample.bug}`;
    lines.push('', `counterexample ${index + 1} (${what}, ${counterexample.source}, ${counterexample.steps.length} events${counterexample.minimal ? ', 1-minimal' : ''}):`);
    counterexample.steps.forEach((recorded, step) => lines.push(`  ${String(step + 1).padStart(3)}  ${formatStep(recorded.event, recorded.result)}`));
    for (const violation of counterexample.violations) lines.push(`  ! ${violation.invariant}: ${violation.message}`);
    if (counterexample.savedAs !== null) lines.push(`  saved to ${counterexample.savedAs}`);
  });
  if (part.seededBugs.length > 0) {
    lines.push('', 'seeded bugs:');
    for (const bug of part.seededBugs) {
      const verdict = bug.caughtAsRequired ? 'caught' : bug.found ? `caught by ${bug.fired.join(', ')}, not ${bug.mustFire}` : 'MISSED';
      lines.push(`  ${bug.id}: ${verdict} (must be caught by ${bug.mustFire}; ${bug.runs} runs, shrunk to ${value(bug.shrunkLength)} of minimal ${bug.minimalLength})`);
    }
  }
  const semantic = part.semanticCoverage;
  lines.push(
    '',
    semantic === null || semantic === undefined
      ? 'semantic coverage: not measured in this run'
      : `semantic coverage: ${semantic.totals.reached} of ${semantic.totals.checks} checks reached, ${semantic.totals.unreachableByDesign} unreachable by design`,
  );
  const code = report.codeCoverage;
  lines.push(
    code === null || code === undefined
      ? 'code coverage: not measured in this run'
      : `code coverage (${code.tool}, ${code.scope}): lines ${code.total.lines.covered}/${code.total.lines.total}, branches ${code.total.branches.covered}/${code.total.branches.total}, functions ${code.total.functions.covered}/${code.total.functions.total}`,
  );
  const first = report.timing.msToFirstCounterexample;
  lines.push('', `timing: ${(report.timing.elapsedMs / 1000).toFixed(2)} s${first === null ? '' : `, first counterexample after ${(first / 1000).toFixed(2)} s`}`);
  lines.push(`host: node ${report.host.node}, ${report.host.platform}, ${report.host.cpus} cpus`);
  return `${lines.join('\n')}\n`;
}
