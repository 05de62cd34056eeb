// The sections of the HTML report that are plain tables of the result record: the summary
// (verdict, statement, settings, figures), the invariants, the seeded bugs, coverage, and, kept
// apart in their own section, timing and host (the only part that differs between two runs with
// the same seed).
import type { CodeCoverage, CoverageCount, SemanticCoverage } from '../coverage.js';
import type { DeterministicPart, RunReport } from '../record.js';
import type { Markup } from './html.js';
import { element, fragment, table } from './html.js';

const valueText = (value: string | number | boolean | null): string => (value === null ? 'none' : String(value));

function keyValues(className: string, entries: readonly (readonly [string, string | number | boolean | null])[]): Markup {
  return table(className, ['name', 'value'], entries.map(([name, value]) => [element('code', {}, name), valueText(value)]));
}

export function summarySection(part: DeterministicPart): Markup {
  return element(
    'section',
    { id: 'summary' },
    element('h2', {}, 'Summary'),
    element('p', { class: `verdict verdict-${part.verdict}` }, `verdict: ${part.verdict}`),
    element('p', { class: 'statement' }, part.statement),
    part.shards.length === 0 ? null : element('p', {}, `shards merged: ${part.shards.join(', ')}`),
    element('h3', {}, 'Settings'),
    keyValues('settings', Object.entries(part.settings)),
    element('h3', {}, 'Figures'),
    keyValues('figures', Object.entries(part.figures)),
    part.features === null ? null : fragment(element('h3', {}, 'Deep states reached (runs reaching each)'), keyValues('features', Object.entries(part.features))),
  );
}

export function invariantsSection(part: DeterministicPart): Markup | null {
  if (part.invariants.length === 0) return null;
  return element(
    'section',
    { id: 'invariants' },
    element('h2', {}, 'Invariants'),
    table(
      'invariants',
      ['invariant', 'what it guards', 'verdict', 'violations'],
      part.invariants.map((invariant) => [
        element('code', {}, invariant.name),
        invariant.guards,
        element('span', { class: `verdict-${invariant.verdict}` }, invariant.verdict),
        invariant.violations.length === 0
          ? 'none'
          : element(
              'ul',
              {},
              ...invariant.violations.map((violation) =>
                element('li', {}, violation.message, ' ', element('span', { class: 'objects' }, `@ ${violation.objects.map((object) => `${object.kind}:${object.id}`).join(', ')}`)),
              ),
            ),
      ]),
    ),
  );
}

export function seededBugsSection(part: DeterministicPart): Markup | null {
  if (part.seededBugs.length === 0) return null;
  return element(
    'section',
    { id: 'seeded-bugs' },
    element('h2', {}, 'Seeded bugs'),
    table(
      'seeded-bugs',
      ['seeded bug', 'must be caught by', 'caught by', 'verdict', 'how', 'runs', 'shrunk length', 'minimal length'],
      part.seededBugs.map((bug) => [
        element('code', {}, bug.id),
        bug.mustFire,
        bug.fired.length === 0 ? 'nothing' : bug.fired.join(', '),
        element('span', { class: bug.caughtAsRequired ? 'verdict-held' : 'verdict-violated' }, bug.caughtAsRequired ? 'caught as required' : bug.found ? 'caught by another invariant' : 'missed'),
        bug.byDirectedTrace ? 'directed trace' : 'random runs',
        bug.runs,
        bug.shrunkLength === null ? 'none' : bug.shrunkLength,
        bug.minimalLength,
      ]),
    ),
  );
}

const percent = (count: CoverageCount): string => (count.total === 0 ? 'n/a' : `${((100 * count.covered) / count.total).toFixed(1)}% (${count.covered}/${count.total})`);

function semantic(coverage: SemanticCoverage | null | undefined): Markup {
  const title = element('h3', {}, 'Semantic coverage: syscall × outcome × kernel check');
  if (coverage === null || coverage === undefined) return fragment(title, element('p', { class: 'absent' }, 'not measured in this run'));
  const { totals } = coverage;
  return fragment(
    title,
    element('p', {}, `${totals.reached} of ${totals.checks} checks reached; ${totals.unreachableByDesign} unreachable by design`),
    table('semantic-reached', ['syscall', 'outcome', 'check', 'hits'], coverage.reached.map((count) => [element('code', {}, count.syscall), count.outcome, count.check === '' ? '' : element('code', {}, count.check), count.hits])),
    element('h4', {}, 'Checks never reached'),
    coverage.unreached.length === 0
      ? element('p', {}, 'none')
      : table('semantic-unreached', ['errno', 'check'], coverage.unreached.map((check) => [check.errno, element('code', {}, check.check)])),
    element('h4', {}, 'Unreachable by design'),
    coverage.unreachableByDesign.length === 0
      ? element('p', {}, 'none')
      : table('semantic-by-design', ['errno', 'check', 'why'], coverage.unreachableByDesign.map((check) => [check.errno, element('code', {}, check.check), check.reason])),
  );
}

function code(coverage: CodeCoverage | null | undefined): Markup {
  const title = element('h3', {}, 'Code coverage of model/ under this run');
  if (coverage === null || coverage === undefined) return fragment(title, element('p', { class: 'absent' }, 'not measured in this run'));
  return fragment(
    title,
    element('p', {}, `${coverage.tool}, of ${coverage.scope}: lines ${percent(coverage.total.lines)}, branches ${percent(coverage.total.branches)}, functions ${percent(coverage.total.functions)}`),
    table(
      'code-coverage',
      ['file', 'lines', 'branches', 'functions'],
      coverage.files.map((file) => [element('code', {}, file.file), percent(file.lines), percent(file.branches), percent(file.functions)]),
    ),
  );
}

export function coverageSection(report: RunReport): Markup {
  return element('section', { id: 'coverage' }, element('h2', {}, 'Coverage'), semantic(report.deterministic.semanticCoverage), code(report.codeCoverage));
}

/** Timing and host: the one section that may differ between two runs with the same seed. */
export function timingHostSection(report: RunReport): Markup {
  const first = report.timing.msToFirstCounterexample;
  return element(
    'section',
    { id: 'timing-host' },
    element('h2', {}, 'Timing and host (not part of the deterministic result)'),
    keyValues('timing', [
      ['elapsed', `${(report.timing.elapsedMs / 1000).toFixed(2)} s`],
      ['first counterexample after', first === null ? null : `${(first / 1000).toFixed(2)} s`],
      ['node', report.host.node],
      ['platform', report.host.platform],
      ['cpus', report.host.cpus],
    ]),
  );
}
