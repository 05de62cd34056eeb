// The table lines of the explore and seeded-bugs sections (report.ts renders the rest).
import type { ExploreFigure } from './explore.js';
import { columns } from './report.js';
import type { BugFigure, SeededBugsFigure, SeedOutcome } from './seeded-bugs.js';

const whole = (value: number): string => Math.round(value).toLocaleString('en-US');
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;


export function exploreLines(figures: readonly ExploreFigure[]): string[] {
  const first = figures[0];
  if (first === undefined) return [];
  const header = ['command', 'distinct states', 'transitions', 'time', 'start-up', 'states/s', 'states/s after start-up', 'target', 'met'];
  const body = figures.map((figure) => [
    figure.command,
    whole(figure.distinctStates),
    whole(figure.transitions),
    `${whole(figure.elapsedMs)} ms`,
    `${whole(figure.startupMs)} ms`,
    whole(figure.statesPerSecond),
    whole(figure.statesPerSecondAfterStartup),
    figure.targetStatesPerSecond === null ? '' : `>= ${whole(figure.targetStatesPerSecond)}`,
    figure.targetMet === null ? '' : figure.targetMet ? 'yes' : 'NO',
  ]);
  return [
    `  explore: every sequence of <= ${first.depth} events over the default vocabulary of ${first.vocabularySize} events (the library's explore(), every invariant; ` +
      'workers 0 expands in the calling thread, workers 1 in one thread while the calling thread merges: the target is for these, one core; the last row is the default, one worker thread per logical core):',
    '    states/s counts the whole run, worker start-up included; "after start-up" takes away the time to the first chunk back (start-up plus the boot state\'s expansion) and its states',
    ...columns([header, ...body], new Set([1, 2, 3, 4, 5, 6])).map((line) => `    ${line}`),
  ];
}

function seedText(seed: SeedOutcome | null): string {
  if (seed === null) return '';
  if (seed.outcome === 'found') return `seed ${seed.seed}: ${seconds(seed.msToFirst)}, run ${seed.runs}`;
  return `seed ${seed.seed}: ${seed.outcome === 'capped' ? 'CAPPED' : 'NOT FOUND'} after ${whole(seed.runs)} runs, ${seconds(seed.ms)}`;
}

function bugRow(figure: BugFigure): string[] {
  const missing = figure.seeds.filter((seed) => seed.outcome !== 'found');
  const notFound = missing.filter((seed) => seed.outcome === 'not-found').length;
  const capped = missing.length - notFound;
  const misses = [notFound === 0 ? '' : `${notFound} NOT FOUND`, capped === 0 ? '' : `${capped} CAPPED`].filter((text) => text !== '').join(', ');
  return [
    `${figure.model}/${figure.bug}`,
    `${figure.found}/${figure.seeds.length}${misses === '' ? '' : ` (${misses})`}`,
    figure.medianMsToFirst === null ? 'NOT FOUND' : seconds(figure.medianMsToFirst),
    figure.medianMsToShrunk === null ? 'NOT FOUND' : seconds(figure.medianMsToShrunk),
    figure.medianRuns === null ? 'NOT FOUND' : String(figure.medianRuns),
    seedText(figure.slowest),
    figure.targetMet ? 'yes' : 'NO',
  ];
}

export function seededBugsLines(figure: SeededBugsFigure): string[] {
  const cap = figure.capMs === null ? 'no cap: each seed runs its whole default budget' : `a seed that has found nothing after ${seconds(figure.capMs)} stops there (CAPPED, counted as not found; twice the target, so no met/NO changes)`;
  const header = ['seeded bug', 'found', 'median to first', 'median to shrunk', 'median runs', 'slowest seed (to first)', `<= ${seconds(figure.bugs[0]?.targetMs ?? 1000)}`];
  const missed = figure.bugs.filter((bug) => !bug.targetMet).length;
  const notFound = figure.bugs.flatMap((bug) => {
    const seeds = (outcome: SeedOutcome['outcome']): number[] => bug.seeds.filter((seed) => seed.outcome === outcome).map((seed) => seed.seed);
    const named = (outcome: 'not-found' | 'capped', label: string): string[] => (seeds(outcome).length === 0 ? [] : [`${bug.bug} ${label} for seed(s) ${seeds(outcome).join(', ')}`]);
    return [...named('not-found', 'NOT FOUND'), ...named('capped', 'CAPPED')];
  });
  return [
    `  seeded-bugs: each seeded bug as \`mntns check --mutant BUG --seed S --skip-saved\` runs it (the library's runCampaign; a protocol bug: its protocol's campaign), ` +
      `${figure.seedsPerBug} seeds from bench seed ${figure.benchSeed} (${figure.seeds.join(', ')});`,
    `    budgets: ${whole(figure.syscallRuns)} runs (syscall model), ${whole(figure.protocolRuns)} interleavings (protocols); ${cap};`,
    '    medians over the seeds (even count: the mean of the two middle), a seed not found counting as slower than any found; the slowest seed is the one slowest to its first counterexample',
    ...columns([header, ...figure.bugs.map(bugRow)], new Set([2, 3, 4])).map((line) => `    ${line}`),
    `    ${figure.bugs.length - missed} of ${figure.bugs.length} bugs meet the target; section time ${seconds(figure.elapsedMs)}`,
    ...notFound.map((line) => `    ${line}`),
  ];
}
