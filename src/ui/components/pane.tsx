import { useStore } from '@nanostores/preact'
import { Composer } from './composer.js'
import { ConversationList } from './conversation-list.js'
import { Header } from './header.js'
import { MessageList } from './message-list.js'
import type { UiProps } from './props.js'
import { Typing } from './typing.js'

/**
 * Header, then either the conversation list (messaging mode, no thread open) or the open
 * conversation: messages, typing indicator and composer.
 */
export function Pane(props: UiProps & { onClose: () => void }) {
  const { client, strings } = props
  const id = useStore(client.$activeId)
  const { length } = useStore(client.$conversations)
  const { persistent, reason } = useStore(client.$storage)
  return (
    <div
      class="pane"
      role="dialog"
      aria-label={strings.title}
      data-testid="pane"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation()
          props.onClose()
        }
      }}
    >
      <Header {...props} />
      {/* Before the cache is opened nothing is known yet: only a real reason is worth a word. */}
      {!persistent && reason !== 'not opened yet' && (
        <p class="bar" data-testid="storage-notice" title={reason}>
          {strings.notSaved}
        </p>
      )}
      {client.mode === 'messaging' && id === null && length > 0 ? (
        <ConversationList {...props} />
      ) : (
        <>
          <MessageList {...props} />
          <Typing {...props} />
          <Composer {...props} />
        </>
      )}
    </div>
  )
}
