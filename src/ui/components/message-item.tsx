import type { ChatMessage } from '../../store/index.js'
import type { UiProps } from './props.js'

let clock: Intl.DateTimeFormat | undefined
const time = (at: number) => (clock ??= new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' })).format(at)

/**
 * One message: the visitor's own on the right with its delivery state, everyone else's on the left.
 * `hit`: the message a search jumped to.
 */
export function MessageItem({ client, strings, message, hit }: UiProps & { message: ChatMessage; hit?: boolean }) {
  const { role, name } = message.author
  const own = role === 'visitor'
  const { status, clientId } = message
  return (
    <div
      class={`msg ${own ? 'own' : role === 'system' ? 'system' : 'other'} ${status}`}
      data-testid="message"
      data-status={status}
      data-author={role}
      data-highlight={hit || undefined}
    >
      {(role === 'agent' || role === 'bot') && <span class="who">{name ?? strings.agent}</span>}
      <div class="bubble">{message.text}</div>
      <span class="meta">
        {status === 'failed' && clientId ? (
          <>
            {`${strings.failed} · `}
            <button type="button" data-testid="retry" onClick={() => client.retry(clientId).catch(() => undefined)}>
              {strings.retry}
            </button>
            {' · '}
            <button type="button" data-testid="discard" onClick={() => client.discard(clientId)}>
              {strings.discard}
            </button>
          </>
        ) : (
          <>
            <time dateTime={new Date(message.createdAt).toISOString()}>{time(message.createdAt)}</time>
            {own && ` · ${status === 'sent' ? strings.sent : strings.sending}`}
          </>
        )}
      </span>
    </div>
  )
}
