// How a bench command ends: its exit code, or a usage error as one line on stderr and exit 2.
export class UsageError extends Error {}

export const EXIT_USAGE = 2;

/** Run a command's main(); a UsageError becomes its message and exit 2, anything else is thrown. */
export function runEntry(main: (args: readonly string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        process.stderr.write(`${error.message}\n`);
        process.exitCode = EXIT_USAGE;
        return;
      }
      throw error;
    },
  );
}
