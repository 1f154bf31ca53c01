import type { ClientStores } from '../store/index.js'

/** Unread counts (see `createUnread`). */
export type Unread = ReturnType<typeof createUnread>

/**
 * Unread counts: the leader tab counts for every tab; a tab where the visitor is looking clears
 * them for every tab.
 *
 * @example
 * const unread = createUnread(stores, () => document.visibilityState !== 'hidden')
 * unread.count('c1')
 */
export function createUnread(stores: ClientStores, isVisible: () => boolean) {
  const { $pane, $activeId, $unread, $leader } = stores
  /** Whether the visitor can see conversation `id` right now. */
  const watching = (id: string) => $pane.get().open && $activeId.get() === id && isVisible()
  return {
    /** Count one more unread message in `id` unless the visitor is looking at it. */
    count(id: string): void {
      if (watching(id)) {
        if ($unread.get()[id]) $unread.setKey(id, 0)
      } else if ($leader.get()) {
        $unread.setKey(id, ($unread.get()[id] ?? 0) + 1)
      }
    },
    /** The visitor is looking at the active conversation: nothing in it is unread any more. */
    clear(): void {
      const id = $activeId.get()
      if (id !== null && watching(id) && $unread.get()[id]) $unread.setKey(id, 0)
    }
  }
}
