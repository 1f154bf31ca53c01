import { Markdown } from '../../render/nodes.js'
import type { ChatMessage } from '../../store/index.js'
import type { FormPart, Part } from '../../transports/types.js'
import type { ThreadView } from '../thread.js'
import { Actions, QuickReplies } from './parts/actions.js'
import { Cards } from './parts/cards.js'
import { File } from './parts/file.js'
import { Form, FormAnswers } from './parts/form.js'
import { Image } from './parts/image.js'
import { Location } from './parts/location.js'
import { Rating, RatingAnswer } from './parts/rating.js'
import type { UiProps } from './props.js'

let clock: Intl.DateTimeFormat | undefined
const time = (at: number) => (clock ??= new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' })).format(at)

type ItemProps = UiProps & { message: ChatMessage; thread: ThreadView }

/** A part under the message's text; a part the widget does not know shows nothing (the text says it all). */
function PartView({ part, ...props }: ItemProps & { part: Part }) {
  const answer = props.thread.answers.get(props.message.id)
  switch (part.type) {
    case 'image':
      return <Image strings={props.strings} part={part} />
    case 'file':
      return <File part={part} />
    case 'location':
      return <Location strings={props.strings} part={part} />
    case 'cards':
      return <Cards {...props} part={part} />
    case 'form':
      return <Form {...props} part={part} answer={answer} />
    case 'rating':
      return <Rating {...props} part={part} answer={answer} />
    default:
      return null
  }
}

/**
 * One message: the visitor's own on the right with its delivery state, everyone else's on the left.
 * Its text as markdown (an answer to a form or a rating as the answers themselves), then its parts,
 * buttons, and quick replies while the thread waits for them. `hit`: the message a search jumped to.
 */
export function MessageItem(props: ItemProps & { hit?: boolean }) {
  const { client, strings, message, hit, thread } = props
  const { role, name } = message.author
  const own = role === 'visitor'
  const { status, clientId } = message
  const parts = message.parts ?? []
  const answered = message.replyTo && thread.byId.get(message.replyTo.messageId)
  const form = answered?.parts?.find((part): part is FormPart => part.type === 'form')
  const answer = parts.find((part) => part.type === 'form-response' || part.type === 'rating-response')
  return (
    <div
      class={`msg ${own ? 'own' : role === 'system' ? 'system' : 'other'} ${status}`}
      data-testid="message"
      data-status={status}
      data-author={role}
      data-highlight={hit || undefined}
    >
      {(role === 'agent' || role === 'bot') && <span class="who">{name ?? strings.agent}</span>}
      <div class="bubble">
        {answer?.type === 'form-response' ? (
          <FormAnswers part={answer} form={form} />
        ) : answer?.type === 'rating-response' ? (
          <RatingAnswer strings={strings} part={answer} />
        ) : (
          <Markdown text={message.text} />
        )}
      </div>
      {parts.map((part, index) => part !== answer && <PartView key={index} {...props} part={part} />)}
      {!!message.actions?.length && <Actions client={client} message={message} actions={message.actions} />}
      {thread.replies === message.id && <QuickReplies client={client} strings={strings} message={message} />}
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
