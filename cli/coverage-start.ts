// Imported first by main.ts, so that `mntns check --code-coverage` has V8's block coverage on before
// any module of model/ is evaluated: their top-level code then counts as run, as under c8.
import { startCodeCoverage } from './code-coverage.js';

const [command, ...rest] = process.argv.slice(2);
if (command === 'check' && rest.includes('--code-coverage')) startCodeCoverage();
