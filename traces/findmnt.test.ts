import { describe, expect, it } from 'vitest';
import type { MountId } from '../model/index.js';
import { INIT, Run, mkdir, open, tmpfs } from '../model/test-helpers.js';
import { drawMountTrees, mountPath } from './findmnt.js';

function scene(): Run {
  const run = new Run();
  run.ok(mkdir('/mnt/a'));
  run.ok(tmpfs('/mnt/a'));
  run.ok({ type: 'mount', task: INIT, source: null, target: '/', fstype: null, flags: ['MS_SHARED', 'MS_REC'] });
  run.ok({ type: 'mount', task: INIT, source: 'none', target: '/tmp', fstype: 'tmpfs', flags: ['MS_RDONLY', 'MS_NOSUID'] });
  run.ok(open('/tmp', ['O_PATH']));
  run.ok({ type: 'umount2', task: INIT, target: '/tmp', flags: ['MNT_DETACH'] });
  run.ok({ type: 'open_tree', task: INIT, dfd: 'AT_FDCWD', path: '/mnt', flags: ['OPEN_TREE_CLONE', 'AT_RECURSIVE'] });
  return run;
}

describe('findmnt-style mount trees', () => {
  it('gives mountpoint paths as seen from the namespace root', () => {
    const run = scene();
    expect(mountPath(run.state, 2 as MountId)).toBe('/');
    expect(mountPath(run.state, 3 as MountId)).toBe('/proc');
    expect(mountPath(run.state, 5 as MountId)).toBe('/mnt/a');
  });

  it('draws the namespace tree with sources, propagation and options', () => {
    const text = drawMountTrees(scene().state);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^mount namespace 1 \(seq 1, 4 mounts/);
    expect(lines[1]).toMatch(/^ {2}TARGET +SOURCE +FSTYPE +ID +PROPAGATION +OPTIONS$/);
    expect(lines[2]).toMatch(/^ {2}\/ +0:1 +rootfs +1 +private +rw$/); // MS_REC on / starts at the tmpfs on rootfs
    expect(lines[3]).toMatch(/^ {2}└─\/ +0:2 +tmpfs +2 +shared:\d+ +rw$/);
    expect(lines[4]).toMatch(/^ {4}├─\/proc +0:3 +proc +3 +shared:\d+ +rw$/);
    expect(lines[5]).toMatch(/^ {4}└─\/mnt\/a +0:\d+ +tmpfs +5 +shared:\d+ +rw$/);
  });

  it('marks detached trees and lazily unmounted mounts still held', () => {
    const text = drawMountTrees(scene().state);
    expect(text).toMatch(/anonymous namespace \d+: a detached tree/);
    expect(text).toMatch(/\n {2}\/ +0:2\[\/mnt\] +tmpfs +7 +shared:1 +rw\n {2}└─\/a +0:\d+ +tmpfs +8 +shared:3/);
    expect(text).toMatch(/unmounted, still held \(mnt_count 1\): mount 6[^\n]*\n[^\n]*\n {2}\/ +0:\d+ +tmpfs +6 +private +ro,nosuid \(unmounted\)/);
    expect(text).toMatch(/kernel-internal mount 4\n[^\n]*\n {2}\/ +0:4 +nsfs +4/);
  });
});
