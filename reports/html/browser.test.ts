// The HTML report in a real browser: headless Chromium (driven by playwright-core) opens the page
// of a run with a counterexample from file://, with every other request refused, and steps through
// the counterexample with the keyboard and the slider. The mounts it highlights at each step are
// compared with the mounts the model's own step() added, changed and freed there, computed here
// from the state tables. Where Chromium is missing the tests are skipped, saying how to install it.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, SeededBugId, State } from '../../model/index.js';
import { initialState, step } from '../../model/index.js';
import { DEFAULT_SEED } from '../../properties/index.js';
import { runCampaign } from '../../traces/index.js';
import { checkReport } from '../build.js';
import type { RunReport } from '../record.js';
import { writeReports } from '../write.js';
import { browserSkipMessage, CHROMIUM } from './browser-skip.js';
import { INIT, reportOf } from './test-helpers.js';

const skipped = browserSkipMessage();
const present = skipped === null;
if (skipped !== null) console.warn(skipped);
const SCREENSHOTS = join(import.meta.dirname, '..', 'out', 'screenshots');

interface Expected {
  readonly added: number[];
  readonly changed: number[];
  readonly removed: number[];
}

/** What each step did to the mounts table, straight from the model: the highlights the page must show. */
function expectedChanges(events: readonly Event[], bug: SeededBugId | null): Expected[] {
  let state: State = initialState();
  const expected: Expected[] = [{ added: [], changed: [], removed: [] }];
  for (const event of events) {
    const after = step(state, event, bug === null ? {} : { bug }).state;
    const ids = [...new Set([...Object.keys(state.mounts), ...Object.keys(after.mounts)])].map(Number).sort((a, b) => a - b);
    const before = state.mounts as Readonly<Record<number, unknown>>;
    const now = after.mounts as Readonly<Record<number, unknown>>;
    expected.push({
      added: ids.filter((id) => before[id] === undefined),
      changed: ids.filter((id) => before[id] !== undefined && now[id] !== undefined && JSON.stringify(before[id]) !== JSON.stringify(now[id])),
      removed: ids.filter((id) => now[id] === undefined),
    });
    state = after;
  }
  return expected;
}

/** The mount ids of the nodes matching `selector` in the pictures, sorted. */
async function mountIds(page: Page, selector: string): Promise<number[]> {
  const ids = await Promise.all((await page.locator(`.counterexample .trees g.mount${selector}`).all()).map((node) => node.getAttribute('data-mount-id')));
  return ids.map(Number).sort((a, b) => a - b);
}

/** The page's view of its current step: the step, the highlighted mount ids, the pictures' markup. */
async function shown(page: Page): Promise<{ step: number; added: number[]; changed: number[]; removed: number[]; violating: number[]; trees: string; label: string }> {
  const root = page.locator('.counterexample');
  return {
    step: Number(await root.getAttribute('data-step')),
    added: await mountIds(page, '.change-added'),
    changed: await mountIds(page, '.change-changed'),
    removed: await mountIds(page, '.change-removed'),
    violating: await mountIds(page, '.violating'),
    trees: await root.locator('.trees').innerHTML(),
    label: (await root.locator('.step-label').textContent()) ?? '',
  };
}

const text = async (page: Page, selector: string): Promise<string> => (await page.locator(selector).first().textContent()) ?? '';

describe.skipIf(!present)('the HTML report in headless Chromium', () => {
  let context: BrowserContext;
  let profile: string;
  const refused: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), 'mntns-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    });
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith('file://')) return route.continue();
      refused.push(url);
      return route.abort('blockedbyclient');
    });
  });
  afterAll(async () => {
    await context?.close();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });

  async function open(report: RunReport, name: string): Promise<Page> {
    const dir = mkdtempSync(join(tmpdir(), 'mntns-html-'));
    const html = writeReports(report, dir, name)[2] as string;
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.setDefaultTimeout(5000);
    await page.goto(pathToFileURL(html).href);
    return page;
  }

  it('steps through a seeded bug\'s counterexample with the keys and the slider, highlighting what each step changed', async () => {
    const settings = { seed: DEFAULT_SEED, runs: 200, timeLimitMs: null, maxCommands: 80, stats: false, saved: [], bug: 'mnt-ns-loop-off-by-one' } as const;
    const report = checkReport(await runCampaign(settings), settings, null);
    const counterexample = report.deterministic.counterexamples[0];
    expect(counterexample).toBeDefined();
    const events = (counterexample?.steps ?? []).map((recorded) => recorded.event);
    const expected = expectedChanges(events, 'mnt-ns-loop-off-by-one');
    const last = events.length;
    const page = await open(report, 'mnt-ns-loop-off-by-one');

    // the page opens at the last step, where the invariant broke
    const opening = await shown(page);
    expect(opening.step).toBe(last);
    expect(opening.label).toBe(`step ${last} of ${last}`);
    await page.locator('.counterexample').focus();
    await page.keyboard.press('Home');
    const pictures: string[] = [];
    for (let number = 0; number <= last; number++) {
      const view = await shown(page);
      expect(view.step).toBe(number);
      const want = expected[number] as Expected;
      expect({ added: view.added, changed: view.changed, removed: view.removed }).toEqual(want);
      pictures.push(view.trees);
      if (number < last) await page.keyboard.press('ArrowRight');
    }
    await page.keyboard.press('ArrowRight'); // past the end: stays
    expect((await shown(page)).step).toBe(last);
    // the bind mount of the nsfs file appears at the last step, and is the mount the violation names
    expect(pictures[last]).not.toBe(pictures[last - 1]);
    expect(expected[last]?.added).toHaveLength(1);
    expect((await shown(page)).violating).toEqual(expected[last]?.added);
    expect(await text(page, '.counterexample .step-violations')).toContain('no-mnt-ns-loop');
    expect(await text(page, '.counterexample figure.group.violating figcaption')).toContain('mount namespace 1');
    expect(await text(page, '.counterexample .step-holders')).toContain('mount namespace 1 is held by: the nsproxy of task 1, its nsfs inode');

    // the slider: its own keys move it, and the page follows
    const slider = page.locator('.counterexample .slider');
    await slider.focus();
    await page.keyboard.press('ArrowLeft');
    expect((await shown(page)).step).toBe(last - 1);
    expect((await shown(page)).trees).toBe(pictures[last - 1]);
    await page.keyboard.press('Home');
    expect((await shown(page)).step).toBe(0);
    expect((await shown(page)).trees).toBe(pictures[0]);
    await slider.fill(String(last));
    expect((await shown(page)).trees).toBe(pictures[last]);
    // End on the page, a click on a trace line
    await page.locator('.counterexample .trace li[data-step="1"]').click();
    expect((await shown(page)).step).toBe(1);
    await page.keyboard.press('End');
    expect((await shown(page)).step).toBe(last);

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.locator('#counterexamples').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'check-mnt-ns-loop-off-by-one.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(refused).toEqual([]);
  });

  it('draws a lazily unmounted mount as held, then freed, with each step\'s highlights', async () => {
    const events: Event[] = [
      { type: 'mount', task: INIT, source: 'none', target: '/mnt', fstype: 'tmpfs', flags: [] },
      { type: 'open', task: INIT, path: '/mnt', flags: ['O_PATH'] },
      { type: 'umount2', task: INIT, target: '/mnt', flags: ['MNT_DETACH'] },
      { type: 'close', task: INIT, fd: 3 as never },
    ];
    const expected = expectedChanges(events, null);
    const page = await open(reportOf(events, []), 'lazy-umount');
    await page.locator('.counterexample').focus();
    await page.keyboard.press('Home');
    for (let number = 0; number <= events.length; number++) {
      const view = await shown(page);
      expect({ added: view.added, changed: view.changed, removed: view.removed }).toEqual(expected[number]);
      await page.keyboard.press('ArrowRight');
    }
    // at the last step (close) the mount is freed; one step back it is unmounted but held by the fd
    expect((await shown(page)).step).toBe(events.length);
    expect(await text(page, '.counterexample figure[data-kind="freed"] figcaption')).toBe(`freed by this step: mount ${expected[1]?.added[0]}`);
    await page.keyboard.press('ArrowLeft');
    expect(await page.locator('.counterexample figure[data-kind="held"]').count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'lazy-umount-held.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(refused).toEqual([]);
  });
});
