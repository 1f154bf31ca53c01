import type { Client } from '../client/index.js'
import type { ChatMessage } from '../store/index.js'
import type { Action, Message } from '../transports/types.js'
import { useFrameStore } from './use-frame-store.js'

/**
 * What the thread shows, derived from its messages alone, so that it reads the same after a reload
 * and in every tab.
 */
export interface ThreadView {
  /** The messages to show: all but postbacks, which are never shown. */
  shown: ChatMessage[]
  /** The message whose quick replies show, if any. */
  replies?: string
  /**
   * The newest message waits for an answer the composer cannot give (`blockComposer`): a quick
   * reply, a button, its form or its rating.
   */
  blocked: boolean
  /** The answers to forms and rating requests (a message with a form or rating response), by the id of the message they answer: the newest. */
  answers: Map<string, ChatMessage>
  /** Every shown message by id, to find the form a response answers. */
  byId: Map<string, ChatMessage>
}

/** What the thread knows besides its messages. */
export interface ThreadContext {
  /** The messages a postback answered in this page (see {@link threadView}); added to as postbacks show up. */
  postbacks: Set<string>
  /** The transport delivers postbacks: else postback actions are not offered. */
  canPostback: boolean
}

/** The actions the widget offers: postbacks only where the transport delivers them. */
export const offered = (actions: readonly Action[] | undefined, canPostback: boolean): Action[] =>
  (actions ?? []).filter((action) => action.type !== 'postback' || canPostback)

/** Whether a message offers a way to answer it besides writing: else blocking the composer would trap the visitor. */
const answerable = (message: Message, canPostback: boolean) =>
  offered(
    [...(message.replies ?? []), ...(message.actions ?? []), ...(message.parts ?? []).flatMap((part) => (part.type === 'cards' ? part.items.flatMap((card) => card.actions ?? []) : []))],
    canPostback
  ).some((action) => action.type === 'reply' || action.type === 'postback') || !!message.parts?.some((part) => part.type === 'form' || part.type === 'rating')

/**
 * Derive what the thread shows from its messages.
 *
 * - Quick replies show on the newest message only, and only until it is answered: any message after
 *   it (the visitor writing, or the bot answering a postback) takes them away, as in the messaging
 *   apps customers know, and after a reload too.
 * - The composer is blocked while the newest message asks for it and nobody answered.
 *
 * A postback leaves the thread once delivered: the messages it answered are remembered in
 * `postbacks` (one set per client, for the page's life), or their quick replies would come back.
 *
 * @example
 * const { shown, replies, blocked } = threadView(client.$activeMessages.get(), { postbacks: new Set(), canPostback: true })
 */
export function threadView(messages: readonly ChatMessage[], { postbacks, canPostback }: ThreadContext): ThreadView {
  const shown: ChatMessage[] = []
  const answers = new Map<string, ChatMessage>()
  // Every message some other message answers (`replyTo`): a chosen reply, a form, a rating, a bot's acknowledgement.
  const named = new Set<string>()
  const byId = new Map<string, ChatMessage>()
  // The newest message with quick replies.
  let offering: ChatMessage | undefined
  for (const message of messages) {
    if (message.postback?.messageId) postbacks.add(message.postback.messageId)
    if (message.replyTo) {
      named.add(message.replyTo.messageId)
      if (message.parts?.some((part) => part.type === 'form-response' || part.type === 'rating-response')) answers.set(message.replyTo.messageId, message)
    }
    if (message.postback) continue
    shown.push(message)
    byId.set(message.id, message)
    if (offered(message.replies, canPostback).length && message.author.role !== 'visitor') offering = message
  }
  const answered = (message: ChatMessage) => named.has(message.id) || postbacks.has(message.id)
  const newest = shown[shown.length - 1]
  return {
    shown,
    replies: offering && offering === newest && !answered(offering) ? offering.id : undefined,
    blocked: !!newest?.blockComposer && newest.author.role !== 'visitor' && !answered(newest) && answerable(newest, canPostback),
    answers,
    byId
  }
}

const NONE: ChatMessage[] = []

/** Per client, the messages a postback answered in this page (see `threadView`). */
const answeredByPostback = new WeakMap<Client, Set<string>>()

/** The view of each list of messages shown: the list and the composer derive it once, not once each per render. */
const views = new WeakMap<readonly ChatMessage[], ThreadView>()

/**
 * The open conversation's {@link ThreadView}, for components: the message list, and the composer
 * (which it blocks). Renders again at most once a frame, when the open conversation's messages change.
 */
export function useThread(client: Client): ThreadView {
  // All of the open conversation's messages as shown (see `beforeDisplay`), postbacks waiting to go
  // included: they answer too.
  const id = useFrameStore(client.$activeId) ?? ''
  const messages = useFrameStore(client.$shown, (all) => all[id] ?? NONE)
  const postbacks = answeredByPostback.get(client) ?? answeredByPostback.set(client, new Set()).get(client)!
  let view = views.get(messages)
  if (!view) views.set(messages, (view = threadView(messages, { postbacks, canPostback: !!client.transport.postback })))
  return view
}
