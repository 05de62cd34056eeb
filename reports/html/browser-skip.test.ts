// The browser test's skip decision: skipped, with how to install Chromium, exactly when the
// executable is missing.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserSkipMessage, CHROMIUM } from './browser-skip.js';

describe('the browser test skip', () => {
  it('names the missing executable and how to install Chromium', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'mntns-')), 'no-chromium');
    expect(browserSkipMessage(missing)).toBe(
      `reports/html/browser.test.ts: skipped: no Chromium at ${missing}; install it with \`apt-get install -y chromium\` (Debian, as root) to run the browser test of the HTML report`,
    );
  });
  it('does not skip when the executable exists', () => {
    const present = join(mkdtempSync(join(tmpdir(), 'mntns-')), 'chromium');
    writeFileSync(present, '');
    expect(browserSkipMessage(present)).toBeNull();
  });
  it('looks at /usr/bin/chromium by default', () => {
    const asked: string[] = [];
    browserSkipMessage(undefined, (path) => (asked.push(path), false));
    expect(asked).toEqual([CHROMIUM]);
    expect(CHROMIUM).toBe('/usr/bin/chromium');
  });
});
