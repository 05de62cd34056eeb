// The protocol models by name, for what reads and runs any of them (traces, replay, the check
// loop's failure database): each is a Protocol whose state, events and bugs are its own.
import type { Protocol, ProtocolEvent } from './engine.js';
import { MNTPUT_PROTOCOL } from './mntput/index.js';
import { STASH_PROTOCOL } from './stash/index.js';

/** A protocol of any state, events and bugs. */
export type AnyProtocol = Protocol<unknown, ProtocolEvent, string>;

export const PROTOCOLS: readonly AnyProtocol[] = [STASH_PROTOCOL, MNTPUT_PROTOCOL];

export const PROTOCOL_NAMES: readonly string[] = PROTOCOLS.map((protocol) => protocol.name);

/** The profile line of a protocol's traces: `protocol nsfs-stash`. */
export const PROFILE_PREFIX = 'protocol ';
export const protocolProfile = (name: string): string => `${PROFILE_PREFIX}${name}`;

export const protocolByName = (name: string): AnyProtocol | undefined => PROTOCOLS.find((protocol) => protocol.name === name);

/** The protocol a profile names (`protocol nsfs-stash`), or undefined for another profile. */
export function protocolOfProfile(profile: string): AnyProtocol | undefined {
  return profile.startsWith(PROFILE_PREFIX) ? protocolByName(profile.slice(PROFILE_PREFIX.length).trim()) : undefined;
}

/** The protocol whose seeded bug this is. */
export const protocolOfBug = (bug: string): AnyProtocol | undefined => PROTOCOLS.find((protocol) => protocol.bugs.includes(bug));
