import { Status } from './status.js'
import type { UiProps } from './props.js'

/** Title, the conversation mode, the connection state and the close button. */
export function Header(props: UiProps & { onClose: () => void }) {
  const { client, strings } = props
  return (
    <div class="head">
      <div class="titles">
        <h2>{strings.title}</h2>
        <span class="mode" data-testid="mode">
          {client.mode === 'chat' ? strings.chat : strings.messaging}
        </span>
        <Status {...props} />
      </div>
      <button class="x" data-testid="close" aria-label={strings.close} onClick={props.onClose}>
        <svg width="20" height="20" viewBox="0 0 24 24" stroke="currentColor" stroke-width="2" aria-hidden="true">
          <path d="M6 6l12 12M18 6L6 18" />
        </svg>
      </button>
    </div>
  )
}
