import { Composer } from './composer.js'
import { Header } from './header.js'
import { MessageList } from './message-list.js'
import type { UiProps } from './props.js'
import { Typing } from './typing.js'

/** The open conversation: header, messages, typing indicator and composer. */
export function Pane(props: UiProps & { onClose: () => void }) {
  return (
    <div
      class="pane"
      role="dialog"
      aria-label={props.strings.title}
      data-testid="pane"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation()
          props.onClose()
        }
      }}
    >
      <Header {...props} />
      <MessageList {...props} />
      <Typing {...props} />
      <Composer {...props} />
    </div>
  )
}
