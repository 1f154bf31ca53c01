import type { ClientStores } from '../store/index.js'
import type { Conversation, ConversationMode } from '../transports/types.js'

/** What composing needs: the stores, and the client's actions that show the pane and a thread. */
export interface ComposeDeps {
  stores: ClientStores
  mode: ConversationMode
  open(): void
  openConversation(id: string): Promise<void>
  startConversation(): Promise<Conversation>
}

/**
 * Text for the composer, not sent (`Confab('showNewMessage', text)`): kept in `$draft` until the
 * composer takes it as it shows, so it waits for a pane whose code is still loading.
 *
 * @example
 * const drafts = createDrafts({ stores, mode, open, openConversation, startConversation })
 * await drafts.compose('Hi, about order 42: ')
 */
export function createDrafts({ stores, mode, open, openConversation, startConversation }: ComposeDeps) {
  return {
    async compose(text?: string): Promise<void> {
      if (text) stores.$draft.set(text)
      open()
      // Messaging mode lists the threads while none is open; the composer is in a thread.
      const listed = stores.$conversations.get()
      if (mode !== 'messaging' || stores.$activeId.get() !== null || listed.length === 0) return
      const current = listed.find((c) => c.mode === mode && c.status === 'open')
      await (current ? openConversation(current.id) : startConversation())
    },
    takeDraft(): string | null {
      const text = stores.$draft.get()
      if (text !== null) stores.$draft.set(null)
      return text
    }
  }
}
