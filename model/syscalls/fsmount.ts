// STUB: replaced by the real syscall family.
import type { FsconfigEvent, FsmountEvent, FsopenEvent } from '../events.js';
import type { ModelOptions } from '../options.js';
import { failure } from '../result.js';
import type { State } from '../state.js';
import type { Checked } from './common.js';

export function checkFsopen(_state: State, _event: FsopenEvent, _opts: ModelOptions): Checked {
  return failure('EINVAL', 'model: not yet modelled');
}

export function checkFsconfig(_state: State, _event: FsconfigEvent, _opts: ModelOptions): Checked {
  return failure('EINVAL', 'model: not yet modelled');
}

export function checkFsmount(_state: State, _event: FsmountEvent, _opts: ModelOptions): Checked {
  return failure('EINVAL', 'model: not yet modelled');
}
