// One counterexample's section: where it came from, its violations, the trace like strace with
// every step's result, and the stepper (buttons, slider, keys) over the per-step mount-tree
// pictures the script draws from the embedded data.
import { formatStep } from '../../traces/index.js';
import type { ReportCounterexample } from '../record.js';
import type { Markup } from './html.js';
import { element } from './html.js';
import type { StepView } from './steps.js';

function heading(counterexample: ReportCounterexample, index: number): string {
  const bug = counterexample.bug === null ? 'the model' : `seeded bug ${counterexample.bug}`;
  const shape = counterexample.minimal ? '1-minimal' : 'not shrunk to 1-minimal';
  return `Counterexample ${index + 1}: ${bug}, ${counterexample.source}, ${counterexample.steps.length} events, ${shape}`;
}

export function counterexampleSection(counterexample: ReportCounterexample, index: number, views: readonly StepView[]): Markup {
  const last = views.length - 1;
  return element(
    'section',
    { class: 'counterexample', id: `counterexample-${index + 1}`, 'data-index': index, tabindex: 0 },
    element('h3', {}, heading(counterexample, index)),
    counterexample.savedAs === null ? null : element('p', {}, 'saved to ', element('code', {}, counterexample.savedAs), ' — replay it with ', element('code', {}, `npx mntns replay ${counterexample.savedAs}`)),
    element('ul', { class: 'ce-violations' }, ...counterexample.violations.map((violation) => element('li', {}, element('strong', {}, violation.invariant), `: ${violation.message}`))),
    element(
      'ol',
      { class: 'trace' },
      element('li', { 'data-step': 0 }, element('span', { class: 'number' }, '0'), 'boot state'),
      ...counterexample.steps.map((recorded, step) =>
        element('li', { 'data-step': step + 1 }, element('span', { class: 'number' }, String(step + 1)), formatStep(recorded.event, recorded.result)),
      ),
    ),
    element(
      'div',
      { class: 'stepper' },
      element('button', { type: 'button', 'data-go': 'first', title: 'boot state (Home)' }, '|◀'),
      element('button', { type: 'button', 'data-go': 'prev', title: 'previous step (←)' }, '◀'),
      element('input', { type: 'range', class: 'slider', min: 0, max: last, value: last, step: 1, 'aria-label': `step of counterexample ${index + 1}` }),
      element('button', { type: 'button', 'data-go': 'next', title: 'next step (→)' }, '▶'),
      element('button', { type: 'button', 'data-go': 'last', title: 'last step (End)' }, '▶|'),
      element('span', { class: 'step-label' }, `step ${last} of ${last}`),
      element('span', { class: 'keys' }, 'keys: ← → Home End'),
    ),
    element('p', { class: 'step-call' }),
    element(
      'div',
      { class: 'step-panels' },
      element('div', {}, element('h4', {}, 'Invariants broken by this step'), element('ul', { class: 'step-violations' })),
      element('div', {}, element('h4', {}, 'What the step changed'), element('ul', { class: 'step-changes' })),
      element('div', {}, element('h4', {}, 'Who holds the objects the violations name'), element('ul', { class: 'step-holders' })),
    ),
    element(
      'div',
      { class: 'legend' },
      element('span', { class: 'l-added' }, '+ added by the step'),
      element('span', { class: 'l-changed' }, '~ changed by the step'),
      element('span', { class: 'l-removed' }, '− freed by the step'),
      element('span', { class: 'l-violating' }, '! named by a violation'),
    ),
    element('div', { class: 'trees' }),
  );
}
