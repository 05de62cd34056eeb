// Builds the kernel oracle's harness (oracle/harness.c) into dist/oracle/harness. Without a C
// compiler it says so in one line and the build still succeeds: the oracle is then skipped.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

const compiler = process.env.CC ?? 'cc';
const probe = spawnSync(compiler, ['--version'], { stdio: 'ignore' });
if (probe.error !== undefined || probe.status !== 0) {
  process.stdout.write(`oracle: no C compiler (${compiler}); the kernel oracle is skipped\n`);
} else {
  mkdirSync('dist/oracle', { recursive: true });
  const build = spawnSync(compiler, ['-std=gnu11', '-O2', '-Wall', '-Wextra', '-o', 'dist/oracle/harness', 'oracle/harness.c'], { stdio: 'inherit' });
  if (build.status !== 0) {
    process.stderr.write('oracle: oracle/harness.c did not compile; see the compiler output above\n');
    process.exit(1);
  }
}
