import { safeUrl } from '../../../render/url.js'
import type { ChatMessage } from '../../../store/index.js'
import type { Action } from '../../../transports/types.js'
import { offered } from '../../thread.js'
import type { UiProps } from '../props.js'

/** A button, a card's button or a quick reply, and the message it belongs to. */
export interface ActionProps extends Pick<UiProps, 'client'> {
  message: ChatMessage
  action: Action
  class?: string
}

/**
 * One action as a real control: a link as an `<a>` that opens in a new tab (and tells the page, through
 * the client's `action` event), anything else as a button that hands it to `client.act`. A link
 * whose URL is not one the widget opens shows as its label alone.
 */
export function ActionButton({ client, message, action, class: kind = 'act' }: ActionProps) {
  // A refused postback is reported by the client (`failed`); nothing more to do here.
  const use = () => void client.act(message, action).catch(() => undefined)
  if (action.type === 'link') {
    const href = safeUrl(action.url)
    return href ? (
      <a class={kind} href={href} target="_blank" rel="noopener noreferrer" onClick={use} data-testid="action">
        {action.label}
      </a>
    ) : (
      <span class={kind}>{action.label}</span>
    )
  }
  return (
    <button type="button" class={kind} onClick={use} data-testid="action">
      {action.label}
    </button>
  )
}

/** A row of actions: a message's buttons, a card's buttons (postbacks only where the transport delivers them). */
export function Actions({ client, message, actions }: Pick<UiProps, 'client'> & { message: ChatMessage; actions: readonly Action[] }) {
  const shown = offered(actions, !!client.transport.postback)
  return (
    shown.length > 0 && (
      <div class="acts">
        {shown.map((action) => (
          <ActionButton key={action.id} client={client} message={message} action={action} />
        ))}
      </div>
    )
  )
}

/** A message's quick replies, as chips; shown only while they are the answer the thread waits for (see `threadView`). */
export function QuickReplies({ client, strings, message }: Pick<UiProps, 'client' | 'strings'> & { message: ChatMessage }) {
  return (
    <div
      class="chips"
      role="group"
      aria-label={strings.quickReplies}
      data-testid="quick-replies"
      // A chosen chip goes with the others: the keys go on to the message field.
      onClick={(event) => {
        if ((event.target as Element).closest('button')) event.currentTarget.closest('.log')?.parentElement?.querySelector('textarea')?.focus()
      }}
    >
      {offered(message.replies, !!client.transport.postback).map((action) => (
        <ActionButton key={action.id} client={client} message={message} action={action} class="chip" />
      ))}
    </div>
  )
}
