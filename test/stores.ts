import type { MapStore, ReadableAtom, WritableAtom } from 'nanostores'

/**
 * Test setup only: a store the client exposes read-only, as the writable store it is inside, so a
 * test can put the client in a state (an ended chat, a full disk) without staging the cause.
 */
export const writable = <T>(store: ReadableAtom<T>) => store as WritableAtom<T>

/** Test setup only: the same for a map store. */
export const writableMap = <T extends object>(store: ReadableAtom<T>) => store as unknown as MapStore<T>
