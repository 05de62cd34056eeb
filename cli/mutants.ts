// `mntns mutants`: run the default check against every seeded bug and show, per bug, whether it
// was found, which invariant fired, the runs and time to the first failure, and the length of the
// 1-minimal trace next to the registry's minimal length.
import { DEFAULT_MAX_COMMANDS, DEFAULT_RUNS, DEFAULT_SEED, runEvents, SEEDED_BUGS } from '../properties/index.js';
import { runCampaign, shrinkEvents } from '../traces/index.js';
import type { SeededBug } from '../properties/index.js';
import { DEFAULT_REPORT_DIR, mutantsReport, protocolMutantRow, writeReports } from '../reports/index.js';
import { protocolMutantLines, runProtocolMutants } from '../protocols/index.js';
import { EXIT_HELD, EXIT_VIOLATED, integer, parse } from './usage.js';

export interface MutantOutcome {
  readonly bug: SeededBug;
  readonly found: boolean;
  readonly fired: readonly string[];
  readonly expectedFired: boolean;
  readonly runs: number;
  readonly ms: number;
  readonly shrunkLength: number | null;
  /** Found only by the registry's directed trace, not by the random budget. */
  readonly byDirectedTrace: boolean;
}

export async function runMutants(seed: number, runs: number, maxCommands: number): Promise<MutantOutcome[]> {
  const outcomes: MutantOutcome[] = [];
  for (const bug of SEEDED_BUGS) {
    const result = await runCampaign({ seed, runs, timeLimitMs: null, bug: bug.id, maxCommands, stats: false, saved: [] });
    const found = result.counterexample;
    if (found === null && bug.directed !== undefined) {
      const directed = runEvents(bug.directed.events, { model: { bug: bug.id } });
      const fired = [...new Set(directed.failure?.violations.map((violation) => violation.invariant) ?? [])];
      outcomes.push({
        bug,
        found: directed.failure !== null,
        fired,
        expectedFired: fired.includes(bug.invariant),
        runs: result.runsDone,
        ms: result.elapsedMs,
        shrunkLength:
          directed.failure === null ? null : shrinkEvents(bug.directed.events, { model: { bug: bug.id }, invariant: bug.invariant }).events.length,
        byDirectedTrace: true,
      });
      continue;
    }
    const fired = found === null ? [] : [...new Set(found.violations.map((violation) => violation.invariant))];
    outcomes.push({
      byDirectedTrace: false,
      bug,
      found: found !== null,
      fired,
      expectedFired: fired.includes(bug.invariant),
      runs: found?.run ?? result.runsDone,
      ms: found?.msToFind ?? result.elapsedMs,
      shrunkLength: found?.steps.length ?? null,
    });
  }
  return outcomes;
}

export async function mutantsCommand(args: readonly string[]): Promise<number> {
  const { values } = parse('mutants', args, { seed: { type: 'string' }, runs: { type: 'string' }, json: { type: 'boolean' }, 'report-dir': { type: 'string' } });
  const seed = integer('mutants', 'seed', values.seed, DEFAULT_SEED, -2_147_483_648, 2_147_483_647);
  const runs = integer('mutants', 'runs', values.runs, DEFAULT_RUNS, 1, 100_000_000);
  const outcomes = await runMutants(seed, runs, DEFAULT_MAX_COMMANDS);
  const protocols = runProtocolMutants();
  const allFound = [...outcomes, ...protocols].every((outcome) => outcome.found && outcome.expectedFired);
  const records = outcomes.map((outcome) => ({
    id: outcome.bug.id,
    mustFire: outcome.bug.invariant,
    fired: outcome.fired,
    found: outcome.found,
    expectedFired: outcome.expectedFired,
    byDirectedTrace: outcome.byDirectedTrace,
    runs: outcome.runs,
    ms: outcome.ms,
    shrunkLength: outcome.shrunkLength,
    minimalLength: outcome.bug.minimalLength,
  }));
  const protocolRows = protocols.map(protocolMutantRow);
  writeReports(mutantsReport([...records, ...protocolRows], { seed, runs }), values['report-dir'] ?? DEFAULT_REPORT_DIR);
  if (values.json === true) {
    const protocolOutcomes = protocols.map((o) => ({ ...o, ms: undefined, bug: o.bug.id, protocol: o.bug.protocol, expected: o.bug.invariant }));
    process.stdout.write(`${JSON.stringify({ seed, runs, outcomes: outcomes.map((o) => ({ ...o, bug: o.bug.id, expected: o.bug.invariant })), protocols: protocolOutcomes }, null, 2)}\n`);
    return allFound ? EXIT_HELD : EXIT_VIOLATED;
  }
  const rows = outcomes.map((outcome) => [
    outcome.bug.id,
    outcome.found
      ? `${outcome.expectedFired ? 'found' : 'found (other invariant)'}${outcome.byDirectedTrace ? ' by directed trace' : ''}`
      : 'NOT FOUND',
    outcome.fired.join(', ') || '-',
    outcome.bug.invariant,
    String(outcome.runs),
    `${(outcome.ms / 1000).toFixed(2)}s`,
    outcome.shrunkLength === null ? '-' : String(outcome.shrunkLength),
    String(outcome.bug.minimalLength),
  ]);
  const header = ['seeded bug', 'verdict', 'invariant that fired', 'must fire', 'runs', 'time', 'shrunk', 'minimal'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column] as number)).join('  ');
  process.stdout.write(`mntns mutants: ${outcomes.length} seeded bugs, default budget of mntns check (${runs} runs, seed ${seed})\n`);
  process.stdout.write(`${line(header)}\n${rows.map(line).join('\n')}\n`);
  const missed = outcomes.filter((outcome) => !outcome.found || !outcome.expectedFired).length;
  process.stdout.write(missed === 0 ? 'every seeded bug was found by the invariant that must catch it\n' : `${missed} seeded bug(s) not caught as required\n`);
  process.stdout.write(`${protocolMutantLines(protocols).join('\n')}\n`);
  return allFound ? EXIT_HELD : EXIT_VIOLATED;
}
