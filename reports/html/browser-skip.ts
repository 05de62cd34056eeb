// Whether the browser test of the HTML report can run: it needs Chromium at a fixed path. Where it
// is missing the test is skipped visibly, with this message saying how to install it.
import { existsSync } from 'node:fs';

/** Where the browser test looks for Chromium (Debian's chromium package). */
export const CHROMIUM = '/usr/bin/chromium';

/** The skip message when there is no executable at `executable`, or null when the test can run. */
export function browserSkipMessage(executable: string = CHROMIUM, exists: (path: string) => boolean = existsSync): string | null {
  if (exists(executable)) return null;
  return `reports/html/browser.test.ts: skipped: no Chromium at ${executable}; install it with \`apt-get install -y chromium\` (Debian, as root) to run the browser test of the HTML report`;
}
