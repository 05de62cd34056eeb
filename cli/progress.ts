// Progress of a long run: a bar redrawn in place on a terminal, plain lines otherwise (every tenth
// of the way), always on stderr so that --json output stays clean.
import type { CheckProgress } from '../properties/index.js';

export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let lastTenth = -1;
  const tty = stream.isTTY === true;
  return {
    update(progress: CheckProgress): void {
      const fraction = progress.runsPlanned === 0 ? 1 : progress.runsDone / progress.runsPlanned;
      const seconds = (progress.elapsedMs / 1000).toFixed(1);
      if (tty) {
        const width = 30;
        const filled = Math.round(fraction * width);
        stream.write(
          `\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${progress.runsDone}/${progress.runsPlanned} runs, ${progress.events} events, ${seconds}s `,
        );
        return;
      }
      const tenth = Math.floor(fraction * 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        stream.write(`${label}: ${progress.runsDone}/${progress.runsPlanned} runs, ${progress.events} events, ${seconds}s\n`);
      }
    },
    done(): void {
      if (tty) stream.write('\r\x1b[K');
    },
  };
}
