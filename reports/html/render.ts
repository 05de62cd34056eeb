// The HTML rendering of a result record: one self-contained page (inline CSS and script, nothing
// fetched). The deterministic part is rendered from report.deterministic alone and the per-step
// data from replaying each counterexample through the model, so the same seed gives the same
// bytes everywhere but in the timing-and-host section.
import type { RunReport } from '../record.js';
import { counterexampleSection } from './counterexample.js';
import { escapeHtml, scriptJson } from './escape.js';
import { element, fragment, raw } from './html.js';
import { SCRIPT } from './script.js';
import { coverageSection, invariantsSection, seededBugsSection, summarySection, timingHostSection } from './sections.js';
import { stepViews } from './steps.js';
import { STYLE } from './style.js';

export function renderHtml(report: RunReport): string {
  const part = report.deterministic;
  const title = `mntns ${part.command}: ${part.verdict}`;
  const views = part.counterexamples.map(stepViews);
  const counterexamples =
    part.counterexamples.length === 0
      ? null
      : element(
          'section',
          { id: 'counterexamples' },
          element('h2', {}, 'Counterexamples'),
          ...part.counterexamples.map((counterexample, index) => counterexampleSection(counterexample, index, views[index] ?? [])),
        );
  const body = fragment(
    element('h1', {}, title),
    summarySection(part),
    invariantsSection(part),
    counterexamples,
    seededBugsSection(part),
    coverageSection(report),
    timingHostSection(report),
    element('script', { type: 'application/json', id: 'mntns-data' }, raw(scriptJson({ counterexamples: views }))),
    element('script', {}, raw(SCRIPT)),
  );
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">\n<title>${escapeHtml(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n${body.html}\n</body>\n</html>\n`;
}
