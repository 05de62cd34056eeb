// STUB: replaced by the real syscall family.
import type { OpenTreeEvent } from '../events.js';
import type { ModelOptions } from '../options.js';
import { failure } from '../result.js';
import type { State } from '../state.js';
import type { Checked } from './common.js';

export function checkOpenTree(_state: State, _event: OpenTreeEvent, _opts: ModelOptions): Checked {
  return failure('EINVAL', 'model: not yet modelled');
}
