import { describe, expect, it } from 'vitest';
import { initialState } from './index.js';
import { checkInvariants } from '../properties/invariants/index.js';

describe('the boot state', () => {
  it('satisfies every invariant', () => {
    expect(checkInvariants(initialState())).toEqual([]);
  });
  it('has rootfs as namespace root with the real root filesystem mounted on top and proc on /proc', () => {
    const state = initialState();
    const ns = state.mntNamespaces[1 as keyof typeof state.mntNamespaces];
    expect(ns?.root).toBe(1);
    expect(state.mounts[2 as keyof typeof state.mounts]?.mnt_parent).toBe(1);
    expect(state.mounts[3 as keyof typeof state.mounts]?.mnt_parent).toBe(2);
    expect(state.superBlocks[3 as keyof typeof state.superBlocks]?.s_type).toBe('proc');
  });
});
