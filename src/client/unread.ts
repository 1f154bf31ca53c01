import type { ClientContext } from './context.js'

/** Whether the visitor can see conversation `id` right now. */
export function isWatching(ctx: ClientContext, id: string): boolean {
  const { $pane, $activeId } = ctx.stores
  return $pane.get().open && $activeId.get() === id && ctx.isVisible()
}

/**
 * Count one more unread message in `id` unless the visitor is looking at it. The leader tab counts
 * for every tab; a tab where the visitor is looking clears it for every tab.
 */
export function countUnread(ctx: ClientContext, id: string): void {
  const { $unread, $leader } = ctx.stores
  if (isWatching(ctx, id)) {
    if ($unread.get()[id]) $unread.setKey(id, 0)
  } else if ($leader.get()) {
    $unread.setKey(id, ($unread.get()[id] ?? 0) + 1)
  }
}

/** The visitor is looking at the active conversation: nothing in it is unread any more. */
export function clearUnread(ctx: ClientContext): void {
  const id = ctx.stores.$activeId.get()
  if (id !== null && isWatching(ctx, id) && ctx.stores.$unread.get()[id]) ctx.stores.$unread.setKey(id, 0)
}
