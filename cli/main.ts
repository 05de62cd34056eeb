#!/usr/bin/env node
// The mntns command line.
import './coverage-start.js';
import { checkCommand } from './check.js';
import { corpusCommand } from './corpus.js';
import { exploreCommand } from './explore.js';
import { mutantsCommand } from './mutants.js';
import { oracleCommand } from './oracle.js';
import { exportCCommand } from './export-c.js';
import { replayCommand } from './replay.js';
import { reportCommand } from './report.js';
import { shrinkCommand } from './shrink.js';
import { EXIT_USAGE, UsageError } from './usage.js';
import { CodeCoverageError } from './code-coverage.js';
import { TraceError } from '../traces/index.js';
import { ReportError } from '../reports/index.js';

const HELP = `mntns — an executable, checkable model of Linux mount namespaces

usage:
  mntns check [options]     run every invariant over random interleavings (the verification suite)
      --seed N              the campaign's seed (default: the embedded one; same seed, same result)
      --runs N              how many random interleavings (default 5000)
      --time-limit S        stop after S seconds even if runs remain
      --mutant BUG          check a deliberately broken model (see mntns mutants)
      --max-commands N      longest interleaving generated (default 80)
      --stats               print how often runs reach deep states
      --json                print the result record as JSON
      --failures-dir DIR    where counterexamples are saved, and replayed from first (default .mntns/failures)
      --skip-saved          do not replay the saved counterexamples first
      --shard i/N           run only this machine's share (chunks i, i+N, ...) of the campaign
      --require-coverage    exit 1 when a check of the model (model/checks.ts) was never reached
      --code-coverage       measure c8's line, branch and function coverage of model/ under the run
  mntns explore [options]   every sequence of up to K events over a finite vocabulary, breadth first
      --depth K             how deep (default 4)
      --mutant BUG          explore a deliberately broken model
      --workers N           worker threads (default: one per core; 0: in the main thread)
      --shard i/N           this machine's share of a campaign split over N
      --invariant NAME      check only this invariant (repeatable)
      --time-limit S        stop after S seconds (the statement then says what is complete)
      --print-vocabulary    list the vocabulary as a trace;  --vocabulary FILE  use a trace's events
      --json                the result record as JSON
  mntns mutants [--seed N] [--runs N] [--json]
                            check that every seeded bug is found, and by which invariant
  mntns replay TRACE        replay a saved trace step by step
      --trees               draw every namespace's mount tree after each step
      --refs KIND:ID        print who holds an object after each step (e.g. mount:7)
      --interactive         a prompt: next, back, goto N, diff, tree, refs, why (default on a terminal)
      --no-interactive      print every step even on a terminal
      --break-at N          stop in the Node inspector just before step N is applied
  mntns shrink TRACE [--invariant NAME] [--out FILE]
                            shrink a trace that breaks an invariant to a 1-minimal one
  mntns corpus promote TRACE [--name NAME]
                            keep a trace as a regression test under traces/corpus/
  mntns corpus check | list replay the corpus (as npm test does) / list it
  mntns report merge FILE... [--out DIR]
                            one report from the JSON reports of a campaign's shards
  check, explore, mutants and oracle --runs write their result record as JSON and JUnit XML to
  --report-dir DIR (default reports/out)
  mntns oracle TRACE [--step-timeout MS]
                            replay a trace on the model and on the real kernel (root) side by side
  mntns oracle --runs N [--seed S] [--max-commands N] [--failures-dir DIR] [--report-dir DIR]
                            a differential campaign: random interleavings on model and kernel,
                            counted per syscall; each kind of disagreement shrunk and saved
  mntns export-c TRACE [-o FILE]
                            one standalone C file replaying the trace on the kernel, exit 1 on a difference
  mntns help                this text

exit status: 0 every invariant held, 1 an invariant was violated, 2 bad usage or bad input
`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      return checkCommand(rest);
    case 'mutants':
      return mutantsCommand(rest);
    case 'replay':
      return replayCommand(rest);
    case 'shrink':
      return shrinkCommand(rest);
    case 'corpus':
      return corpusCommand(rest);
    case 'explore':
      return exploreCommand(rest);
    case 'report':
      return reportCommand(rest);
    case 'oracle':
      return oracleCommand(rest);
    case 'export-c':
      return exportCCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return 0;
    default:
      throw new UsageError(`mntns: unknown command "${command}"; commands: check, explore, mutants, replay, shrink, corpus, report, oracle, export-c, help`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof TraceError || error instanceof ReportError || error instanceof CodeCoverageError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = EXIT_USAGE;
      return;
    }
    throw error;
  },
);
