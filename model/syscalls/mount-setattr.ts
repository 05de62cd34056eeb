// STUB: replaced by the real syscall family.
import type { MountSetattrEvent } from '../events.js';
import type { ModelOptions } from '../options.js';
import { failure } from '../result.js';
import type { State } from '../state.js';
import type { Checked } from './common.js';

export function checkMountSetattr(_state: State, _event: MountSetattrEvent, _opts: ModelOptions): Checked {
  return failure('EINVAL', 'model: not yet modelled');
}
