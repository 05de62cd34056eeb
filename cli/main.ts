#!/usr/bin/env node
// The mntns command line.
import { checkCommand } from './check.js';
import { mutantsCommand } from './mutants.js';
import { replayCommand } from './replay.js';
import { EXIT_USAGE, UsageError } from './usage.js';
import { TraceError } from '../traces/index.js';

const HELP = `mntns — an executable, checkable model of Linux mount namespaces

usage:
  mntns check [options]     run every invariant over random interleavings (the verification suite)
      --seed N              the campaign's seed (default: the embedded one; same seed, same result)
      --runs N              how many random interleavings (default 5000)
      --time-limit S        stop after S seconds even if runs remain
      --mutant BUG          check a deliberately broken model (see mntns mutants)
      --max-commands N      longest interleaving generated (default 40)
      --stats               print how often runs reach deep states
      --json                print the result record as JSON
      --failures-dir DIR    where counterexamples are saved (default .mntns/failures)
  mntns mutants [--seed N] [--runs N] [--json]
                            check that every seeded bug is found, and by which invariant
  mntns replay TRACE        replay a saved trace step by step
      --trees               draw every namespace's mount tree after each step
      --refs KIND:ID        print who holds an object after each step (e.g. mount:7)
      --interactive         a prompt: next, back, goto N, diff, tree, refs, why (default on a terminal)
      --no-interactive      print every step even on a terminal
      --break-at N          stop in the Node inspector just before step N is applied
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
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return 0;
    default:
      throw new UsageError(`mntns: unknown command "${command}"; commands: check, mutants, replay, help`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof TraceError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = EXIT_USAGE;
      return;
    }
    throw error;
  },
);
