import { plainText } from '../../content/plain.js'
import { when } from '../format.js'
import { counted } from '../strings.js'
import { useStore } from '../use-store.js'
import type { PaneProps, UiProps } from './props.js'
import { isShown, useShown } from './shown.js'

/**
 * Shown on opening the pane or on coming back from a thread: start at the newest conversation. A
 * ref rather than an effect, so it runs once the list is in the document, and, being one function,
 * only when the list mounts (not when a reordered item moves to the top), and as a pane drawn ahead
 * shows (see `shown.ts`): a closed one asks nothing of focus, which would bring style up to date.
 */
const focusFirst = (list: HTMLElement | null) => {
  if (list && isShown(list)) list.querySelector('button')?.focus()
}

/**
 * The visitor's threads (messaging mode), newest activity first as the store keeps them, and the
 * button that starts another.
 */
export function ConversationList({ client, strings, locale, frame }: UiProps & Pick<PaneProps, 'frame'>) {
  const conversations = useStore(client.$conversations)
  const unread = useStore(client.$unread)
  // A preview shows what the thread would (`beforeDisplay`): this renders again as it decides.
  useStore(client.$shown)
  useShown(frame, () => focusFirst(frame.current!.querySelector<HTMLElement>('.list')))
  return (
    <>
      <ul class="log list" ref={focusFirst} data-testid="conversation-list">
        {conversations.map(({ id, subject, status, updatedAt, lastMessage }) => (
          <li key={id}>
            <button
              class="bubble conv"
              data-testid="conversation"
              data-conversation-id={id}
              onClick={() => client.openConversation(id).catch(() => undefined)}
            >
              <b>{subject || strings.conversation}</b>
              <span class="meta">{when(updatedAt, locale)}</span>
              <span class="meta">
                {status === 'closed' && `${strings.threadClosed} · `}
                {lastMessage && plainText(client.shown(lastMessage)?.text ?? '')}
              </span>
              {!!unread[id] && <span class="badge">{counted(strings.unread, unread[id]!, locale)}</span>}
            </button>
          </li>
        ))}
      </ul>
      <div class="composer">
        <button
          class="cta"
          data-testid="new-conversation"
          onClick={() => client.startConversation().catch(() => undefined)}
        >
          {strings.newConversation}
        </button>
      </div>
    </>
  )
}
