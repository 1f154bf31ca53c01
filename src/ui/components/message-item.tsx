import { isEmojiOnly } from '../../render/emoji-only.js'
import { Markdown } from '../../render/nodes.js'
import { isBlank } from '../../util/text.js'
import { fill } from '../strings.js'
import type { ChatMessage } from '../../store/index.js'
import type { FormPart, Part } from '../../transports/types.js'
import { Actions, QuickReplies } from './parts/actions.js'
import { Cards } from './parts/cards.js'
import { File } from './parts/file.js'
import { Form, FormAnswers } from './parts/form.js'
import { Image } from './parts/image.js'
import { Location } from './parts/location.js'
import { Rating, RatingAnswer } from './parts/rating.js'
import type { PaneProps, UiProps } from './props.js'
import { useMedia } from './use-media.js'

/** The clock messages' times are written with, and the locale it was made for. */
let clock: [Intl.DateTimeFormat, string] | undefined
/**
 * Each message's time as shown, formatted once: a thread scrolled back and forth shows the same ones
 * again. Another locale starts again.
 */
let times = new WeakMap<ChatMessage, string>()
const clockFor = (locale: string) => {
  if (clock?.[1] !== locale) {
    clock = [new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }), locale]
    times = new WeakMap()
  }
  return clock[0]
}
const time = (message: ChatMessage, locale: string) => {
  const format = clockFor(locale)
  let shown = times.get(message)
  if (shown === undefined) {
    shown = format.format(message.createdAt)
    times.set(message, shown)
  }
  return shown
}

/** "Seen", with the time the agents read it when the backend knows it. */
export const seenLine = (strings: UiProps['strings'], locale: string, at: number | undefined) =>
  at === undefined ? strings.seen : fill(strings.seenAt, clockFor(locale).format(at))

/**
 * One message and what the thread around it decides for it: each a value that changes only when
 * what it shows does, so that the list can skip the messages that did not change.
 */
export interface ItemProps extends UiProps, Pick<PaneProps, 'loadMedia'>, Partial<Pick<PaneProps, 'frame'>> {
  message: ChatMessage
  /** The visitor's answer to its form or rating, if any. */
  response?: ChatMessage
  /** The form this message answers, if it is a form's answer. */
  form?: FormPart
  /** Its quick replies show: it is the newest message and waits for them. */
  replies: boolean
  /** The message a search jumped to. */
  hit: boolean
  /** The visitor's last message the agents have read: "Seen" shows under it. */
  seen?: boolean
  /** When the agents read it, when the backend knows. */
  seenAt?: number | undefined
}

/** A part under the message's text; a part the widget does not know shows nothing (the text says it all). */
function PartView({ part, ...props }: ItemProps & { part: Part }) {
  const { response } = props
  switch (part.type) {
    case 'image':
      return <Image strings={props.strings} part={part} />
    case 'file':
      return <File strings={props.strings} locale={props.locale} part={part} />
    case 'location':
      return <Location strings={props.strings} part={part} />
    case 'cards':
      return <Cards {...props} part={part} />
    case 'form':
      return <Form {...props} part={part} answer={response} />
    case 'rating':
      return <Rating {...props} part={part} answer={response} />
    default:
      return null
  }
}

/**
 * The visitor's files until their message is sent (see `media/files.tsx`), once their code is here
 * (loaded as the pane shows: not for a pane drawn ahead, closed).
 */
function Unsent({ client, strings, locale, message, loadMedia, frame }: ItemProps) {
  const media = useMedia(loadMedia, true, frame)
  return media ? <media.Outgoing client={client} strings={strings} locale={locale} message={message} /> : null
}

/**
 * One message: the visitor's own on the right with its delivery state, everyone else's on the left.
 * Its text as markdown (an answer to a form or a rating as the answers themselves), then its parts,
 * buttons, and quick replies while the thread waits for them.
 */
export function MessageItem(props: ItemProps) {
  const { client, strings, locale, message, hit, form } = props
  const { role, name } = message.author
  const own = role === 'visitor'
  const { status, clientId } = message
  const parts = message.parts ?? []
  const answer = parts.find((part) => part.type === 'form-response' || part.type === 'rating-response')
  const unsent = status !== 'sent' && !!message.files?.length
  return (
    <div
      class={`msg ${own ? 'own' : role === 'system' ? 'system' : 'other'} ${status}`}
      data-testid="message"
      data-id={message.id}
      data-status={status}
      data-author={role}
      data-highlight={hit || undefined}
    >
      {(role === 'agent' || role === 'bot') && <span class="who">{name ?? strings.agent}</span>}
      {/* A few emoji alone show large, without a bubble, as in the messaging apps people know. Files
          sent without a caption have no text to show. */}
      {(answer || !isBlank(message.text)) && (
        // Each message reads in its own direction, whatever the pane's (Arabic in an English pane):
        // the paragraphs of its text each decide (see `render/nodes.tsx`), an answer as a whole.
        <div class={!answer && isEmojiOnly(message.text) ? 'bubble jumbo' : 'bubble'} dir={answer ? 'auto' : undefined}>
          {answer?.type === 'form-response' ? (
            <FormAnswers part={answer} form={form} />
          ) : answer?.type === 'rating-response' ? (
            <RatingAnswer strings={strings} locale={locale} part={answer} />
          ) : (
            <Markdown text={message.text} />
          )}
        </div>
      )}
      {unsent && <Unsent {...props} />}
      {parts.map((part, index) => part !== answer && <PartView key={index} {...props} part={part} />)}
      {!!message.actions?.length && <Actions client={client} message={message} actions={message.actions} />}
      {props.replies && <QuickReplies client={client} strings={strings} message={message} />}
      <span class="meta">
        {status === 'failed' && clientId ? (
          <>
            {/* Refused for good (a file too large, of a type not taken): why, and no Retry. */}
            {message.refused ? `${strings.failed}: ${message.error} · ` : `${strings.failed} · `}
            {!message.refused && (
              <>
                <button type="button" data-testid="retry" onClick={() => client.retry(clientId).catch(() => undefined)}>
                  {strings.retry}
                </button>
                {' · '}
              </>
            )}
            <button type="button" data-testid="discard" onClick={() => client.discard(clientId)}>
              {strings.discard}
            </button>
          </>
        ) : (
          <>
            <time dateTime={new Date(message.createdAt).toISOString()}>{time(message, locale)}</time>
            {own && ` · ${status === 'sent' ? strings.sent : strings.sending}`}
          </>
        )}
      </span>
      {props.seen && (
        <span class="meta" data-testid="seen">
          {seenLine(strings, locale, props.seenAt)}
        </span>
      )}
    </div>
  )
}
