import type { RefObject } from 'preact'
import { useLayoutEffect, useRef } from 'preact/hooks'
import type { Client } from '../../client/index.js'
import type { ChatMessage } from '../../store/index.js'
import { isShown, SHOWN } from './shown.js'

/** How much of a message counts as seen: half of it, or (taller than the view) half the view filled with it. */
const SEEN = 0.5
const STEPS = [0, 0.25, 0.5, 0.75, 1]

/** Whether `a` comes after `b` in a thread: by the backend's numbers, else by time. */
const later = (a: ChatMessage, b: ChatMessage) => (a.seq !== undefined && b.seq !== undefined ? a.seq > b.seq : a.createdAt > b.createdAt)

/** Whose messages the customer reads (and agents want to know were read): not their own, not the system's. */
export const readable = (message: ChatMessage) => message.author.role === 'agent' || message.author.role === 'bot'

/** Which drawn messages the thread's log watches (see {@link useReadMarks}). */
export interface ReadWatch {
  watch(element: Element, message: ChatMessage): void
  unwatch(element: Element): void
}

/**
 * Mark read what the customer actually saw: the newest message from an agent or bot that is in
 * view in the thread's `log` (see {@link SEEN}) while the page is visible and the pane shows (one
 * drawn ahead while closed marks nothing, see `shown.ts`); a log the search view hides shows
 * nothing. A page that becomes visible, or a pane drawn ahead that shows, marks what is in view
 * then. The client sends only positions that move forward, once each.
 * The list hands its drawn messages from agents and bots to the returned watch as it draws them
 * (elements a virtualized list drops go with `unwatch`).
 *
 * @example
 * const reads = useReadMarks(client, log)
 * reads.current?.watch(element, message)
 */
export function useReadMarks(client: Client, log: RefObject<HTMLElement | null>): RefObject<ReadWatch | undefined> {
  const watcher = useRef<ReadWatch | undefined>(undefined)
  useLayoutEffect(() => {
    const root = log.current!
    const page = root.ownerDocument
    const Observer = page.defaultView?.IntersectionObserver
    if (!Observer) return
    const messages = new WeakMap<Element, ChatMessage>()
    const inView = new Set<Element>()
    const frame = root.closest('.pane')
    const mark = () => {
      if (page.visibilityState === 'hidden' || !isShown(frame)) return
      let newest: ChatMessage | undefined
      for (const element of inView) {
        const message = messages.get(element)
        if (message && (!newest || later(message, newest))) newest = message
      }
      if (newest) client.markRead(newest.conversationId, newest.id)
    }
    const observer = new Observer(
      (entries) => {
        for (const { target, isIntersecting, intersectionRatio, intersectionRect, rootBounds } of entries) {
          if (isIntersecting && (intersectionRatio >= SEEN || intersectionRect.height >= (rootBounds?.height ?? Infinity) * SEEN)) inView.add(target)
          else inView.delete(target)
        }
        mark()
      },
      { root, threshold: STEPS }
    )
    page.addEventListener('visibilitychange', mark)
    frame?.addEventListener(SHOWN, mark)
    watcher.current = {
      watch(element, message) {
        messages.set(element, message)
        observer.observe(element)
      },
      unwatch(element) {
        inView.delete(element)
        observer.unobserve(element)
      }
    }
    return () => {
      watcher.current = undefined
      observer.disconnect()
      page.removeEventListener('visibilitychange', mark)
      frame?.removeEventListener(SHOWN, mark)
    }
  }, [])
  return watcher
}
