import { describe, expect, it } from 'vitest';
import { initialState, step } from '../model/index.js';
import { harnessCommand } from './commands.js';
import { observeModel } from './compare.js';
import { parseMountinfoLine, renderTables } from './mount-table.js';
import { event } from './test-helpers.js';

const noNs = (): string => '?';

describe('the normalised mount table', () => {
  it('reads a mountinfo line: options, propagation tags, fstype and the superblock read-only state', () => {
    const mount = parseMountinfoLine('71 88 0:42 /sub /mnt/a ro,nosuid,relatime shared:3 master:1 propagate_from:1 - tmpfs tmpfs ro,size=8k', noNs);
    expect(mount).toEqual({
      key: '71',
      parentKey: '88',
      path: ['mnt', 'a'],
      root: '/sub',
      fstype: 'tmpfs',
      readonly: true,
      nosuid: true,
      nodev: false,
      noexec: false,
      sbReadonly: true,
      shared: '3',
      master: '1',
      unbindable: false,
    });
  });

  it('names an nsfs root by the rank of its namespace', () => {
    const mount = parseMountinfoLine('90 88 0:4 mnt:[4026532182] /tmp/f rw - nsfs nsfs rw', (inum) => (inum === '4026532182' ? '2' : '?'));
    expect(mount.root).toBe('mnt:[2]');
  });

  it('relabels mount ids by mountpoint order and peer groups by first appearance', () => {
    const lines = ['200 100 0:1 / /tmp rw shared:9 - tmpfs t rw', '100 50 0:1 / / rw shared:7 - tmpfs t rw', '300 200 0:1 / /tmp rw master:7 - tmpfs t rw'];
    expect(renderTables([{ label: 1, pids: [1], mounts: lines.map((line) => parseMountinfoLine(line, noNs)) }])).toEqual([
      'ns#1 (pids 1):',
      '  0 - / tmpfs / rw sb:rw shared:1',
      '  1 0 /tmp tmpfs / rw sb:rw shared:2',
      '  2 1 /tmp tmpfs / rw sb:rw master:1',
    ]);
  });

  it('renders the boot state as the sandbox mountinfo shows it: the tmpfs root and /proc, not rootfs', () => {
    const outcome = step(initialState(), event({ type: 'mkdir', task: 1, path: '/mnt/a' }), {});
    expect(observeModel(outcome.state, outcome.result)).toEqual({
      result: '0',
      namespaces: ['pid 1 ns#1'],
      tables: ['ns#1 (pids 1):', '  0 - / tmpfs / rw sb:rw', '  1 0 /proc proc / rw sb:rw'],
    });
  });
});

describe('harness commands', () => {
  it('spell flags as the kernel numbers them and strings, numbers and NULL as tagged fields', () => {
    expect(harnessCommand(event({ type: 'mount', task: 2, source: null, target: '/', fstype: null, flags: ['MS_REC', 'MS_SHARED'] }))).toBe(
      `2\tsys\ti165\tn\ts/\tn\ti${16384 | (1 << 20)}\tn`,
    );
    expect(harnessCommand(event({ type: 'move_mount', task: 1, from_dfd: 3, from_path: '', to_dfd: 'AT_FDCWD', to_path: '/tmp', flags: ['MOVE_MOUNT_F_EMPTY_PATH'] }))).toBe(
      '1\tsys\ti429\ti3\ts\ti-100\ts/tmp\ti4',
    );
    expect(harnessCommand(event({ type: 'clone', task: 1, flags: ['CLONE_NEWNS', 'CLONE_FS'] }))).toBe(`1\tclone\ti${0x20000 | 0x200}`);
  });

  it('refuses a path it cannot send on one line', () => {
    expect(() => harnessCommand(event({ type: 'mkdir', task: 1, path: 'a\tb' }))).toThrow(/tab or newline/);
  });
});
