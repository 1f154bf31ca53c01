import { PART_TYPES, VISITOR_PART_TYPES } from '../../content/check.js'
import type { ConfabError } from '../../errors/index.js'
import type { Message, MessageContent, OutgoingPostback, Part, PartType, Transport, VisitorContent } from '../../transports/types.js'
import { randomId } from '../../util/ids.js'
import { clientOn, onlineClient, shown } from './client.js'
import { fault, type CheckDefinition } from './define.js'
import { ConformanceError, ensure, ensureConfabError, rejection, show, skipCheck, type Recorder, type Scope } from './tools.js'

/**
 * One of each part type with every optional field set, so that a field an adapter loses on the way
 * shows up. Action ids are unique across all of them, as within one message.
 */
export const SAMPLE_PARTS: { readonly [T in PartType]: Extract<Part, { type: T }> } = {
  image: {
    type: 'image',
    url: 'https://cdn.example.com/photos/boots.png?size=large&v=2',
    alt: 'Brown leather boots',
    width: 640,
    height: 480,
    mediaType: 'image/png',
    name: 'boots.png',
    size: 48213
  },
  file: { type: 'file', url: 'https://cdn.example.com/files/invoice-12.pdf', name: 'Invoice 12.pdf', size: 102400, mediaType: 'application/pdf' },
  location: { type: 'location', latitude: 52.3731, longitude: -4.8922, name: 'Shop & café', address: 'Damrak 1, 1012 LG Amsterdam' },
  cards: {
    type: 'cards',
    layout: 'carousel',
    items: [
      {
        title: 'Trail boots',
        description: 'Waterproof, **sizes** 38–46 <b>not bold</b>',
        imageUrl: 'https://cdn.example.com/boots.jpg',
        imageAlt: 'A pair of trail boots',
        actions: [
          { type: 'link', id: 'card-details', label: 'Details', url: 'https://shop.example.com/boots?ref=chat' },
          { type: 'postback', id: 'card-add', label: 'Add to cart', payload: '{"sku":"BOOT-42"}' },
          { type: 'host', id: 'card-buy', label: 'Buy for €89', name: 'buy', data: { amount: 8900, currency: 'EUR' } }
        ]
      },
      { title: 'Socks' }
    ]
  },
  form: {
    type: 'form',
    fields: [
      { name: 'order', label: 'Order number', type: 'text', required: true, placeholder: 'A-1234', maxLength: 20 },
      { name: 'email', label: 'Email', type: 'email' },
      { name: 'quantity', label: 'How many?', type: 'number', min: 1, max: 10 },
      { name: 'size', label: 'Size', type: 'select', required: true, options: [{ value: 's', label: 'Small' }, { value: 'l', label: 'Large' }] },
      { name: 'topics', label: 'Topics', type: 'multiselect', options: [{ value: 'billing', label: 'Billing' }, { value: 'delivery', label: 'Delivery' }] }
    ],
    submitLabel: 'Look it up'
  },
  'form-response': {
    type: 'form-response',
    fields: [
      { name: 'order', label: 'Order number', value: 'A-1234' },
      { name: 'topics', label: 'Topics', value: ['billing', 'delivery'] }
    ]
  },
  rating: { type: 'rating', question: 'How did we do today?', comment: true },
  'rating-response': { type: 'rating-response', score: 4, comment: 'Quick and kind, thank you' }
}

/** Parts that answer an agent's message: a visitor's, not an agent's to send. */
const ANSWERS: readonly PartType[] = ['form-response', 'rating-response']

/** The content fields of a message, as the contract names them. */
const CONTENT_KEYS = ['text', 'parts', 'replies', 'actions', 'blockComposer', 'replyTo', 'metadata'] as const

const contentOf = (message: Message): Partial<MessageContent> =>
  Object.fromEntries(CONTENT_KEYS.filter((key) => message[key] !== undefined).map((key) => [key, message[key]]))

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Where `actual` first differs from `expected`, as `path: expected …, got …`; `undefined` when
 * they are the same JSON values (key order and keys holding `undefined` do not count).
 */
export function firstDifference(actual: unknown, expected: unknown, path = ''): string | undefined {
  const at = path || 'the content'
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at}: expected an array of ${expected.length}, got ${show(actual)}`
    if (actual.length !== expected.length) return `${at}: expected ${expected.length} items, got ${actual.length}: ${show(actual)}`
    for (let i = 0; i < expected.length; i++) {
      const found = firstDifference(actual[i], expected[i], `${path}[${i}]`)
      if (found) return found
    }
    return undefined
  }
  if (isRecord(expected)) {
    if (!isRecord(actual)) return `${at}: expected ${show(expected)}, got ${show(actual)}`
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)])
    for (const key of keys) {
      if (expected[key] === undefined && actual[key] === undefined) continue
      const found = firstDifference(actual[key], expected[key], path ? `${path}.${key}` : key)
      if (found) return found
    }
    return undefined
  }
  return Object.is(actual, expected) ? undefined : `${at}: expected ${show(expected)}, got ${show(actual)}`
}

/** Fail unless `message` carries exactly `content` (no field lost, changed or added). */
export function ensureSameContent(message: Message | undefined, content: MessageContent, what: string): void {
  if (!message) throw new ConformanceError(`${what}: the message ${show(content.text)} is missing`)
  const difference = firstDifference(contentOf(message), content)
  if (difference) throw new ConformanceError(`${what} changed on the way: ${difference}`)
}

/** The part types the transport declares, checked to be known ones. */
function declared(transport: Transport): PartType[] {
  const types = transport.capabilities.content ?? []
  return PART_TYPES.filter((type) => types.includes(type))
}

/** The agent's way to send content, or a skip. */
function agentSend(scope: Scope) {
  const send = scope.harness.agent.send
  if (typeof send !== 'function') skipCheck('the harness offers no agent.send')
  return (conversationId: string, content: MessageContent) => send.call(scope.harness.agent, conversationId, content)
}

/**
 * Fail unless each of `contents` reads back unchanged from history and from the event stream of
 * `recorder` (found by their texts, which differ).
 */
async function ensureReadBack(transport: Transport, conversationId: string, recorder: Recorder, contents: MessageContent[], who: string) {
  const page = await transport.history(conversationId, { limit: 50 })
  for (const content of contents) {
    ensureSameContent(page.messages.find((m) => m.text === content.text), content, `${who} ${show(content.text)} read from history()`)
  }
  const arrived = () => recorder.messages().filter((m) => contents.some((c) => c.text === m.text))
  await recorder.until(`a message event for each of ${contents.length} messages`, () => new Set(arrived().map((m) => m.text)).size === contents.length)
  for (const content of contents) {
    ensureSameContent(arrived().find((m) => m.text === content.text), content, `${who} ${show(content.text)} from the event stream`)
  }
}

/** The id of a fresh agent message in the conversation, for a `replyTo` to name. */
async function agentMessage(scope: Scope, transport: Transport, conversationId: string, text: string): Promise<string> {
  await scope.reply(conversationId, text)
  const found = (await transport.history(conversationId, { limit: 50 })).messages.find((m) => m.text === text)
  ensure(found, `the agent's message ${show(text)} is not in history()`)
  return found.id
}

/** The transport's postback() and the harness's agent.postbacks(), or a skip. */
function postbacks(scope: Scope, transport: Transport) {
  if (typeof transport.postback !== 'function') skipCheck('the transport has no postback()')
  const taken = scope.harness.agent.postbacks
  if (typeof taken !== 'function') skipCheck('the harness offers no agent.postbacks')
  return {
    send: (conversationId: string, postback: OutgoingPostback) => transport.postback!(conversationId, postback),
    taken: (conversationId: string) => taken.call(scope.harness.agent, conversationId)
  }
}

/** Fail unless the backend took exactly `expected`, in that order. */
async function ensureTaken(taken: () => Promise<OutgoingPostback[]>, expected: OutgoingPostback[], what: string) {
  const difference = firstDifference(await taken(), expected, 'postbacks')
  if (difference) throw new ConformanceError(`${what}: ${difference}`)
}

/** Whether a client's error names the unknown part it left out. */
const reportsUnknown = (error: ConfabError) => `${error.message} ${show(error.data)}`.includes('x-unknown')

/** Rich content: parts, actions, postbacks, and content the client does not know. */
export const contentChecks: CheckDefinition[] = [
  {
    name: 'carries each part type it declares that a visitor sends unchanged, to history and to the event stream',
    async run(scope) {
      const { transport, conversation } = await scope.thread()
      const types = declared(transport).filter((type) => (VISITOR_PART_TYPES as readonly string[]).includes(type))
      if (types.length === 0) skipCheck('the transport declares no part type a visitor sends in capabilities.content')
      const question = await agentMessage(scope, transport, conversation.id, 'Fill this in, please')
      const recorder = await scope.live(transport)
      const contents: MessageContent[] = []
      for (const type of types) {
        const content: MessageContent = { text: `A visitor's ${type} part`, parts: [SAMPLE_PARTS[type]] }
        if (ANSWERS.includes(type)) content.replyTo = { messageId: question }
        ensureSameContent(await transport.send(conversation.id, { clientId: randomId(), ...(content as VisitorContent) }), content, `the answer to send() of ${show(content.text)}`)
        contents.push(content)
      }
      await ensureReadBack(transport, conversation.id, recorder, contents, "the visitor's message")
    }
  },
  {
    name: 'carries each part type it declares from an agent to the visitor unchanged, in history and in the event stream',
    async run(scope) {
      const { transport, conversation } = await scope.thread()
      const send = agentSend(scope)
      const types = declared(transport).filter((type) => !ANSWERS.includes(type))
      if (types.length === 0) skipCheck('the transport declares no part type an agent sends in capabilities.content')
      const recorder = await scope.live(transport)
      const contents = types.map((type): MessageContent => ({ text: `An agent's ${type} part`, parts: [SAMPLE_PARTS[type]] }))
      for (const content of contents) await send(conversation.id, content)
      await ensureReadBack(transport, conversation.id, recorder, contents, "the agent's message")
    }
  },
  {
    name: "carries an agent's markdown, quick replies, buttons, blockComposer and metadata unchanged to the visitor",
    async run(scope) {
      const { transport, conversation } = await scope.thread()
      const send = agentSend(scope)
      if (declared(transport).length === 0) skipCheck('the transport declares no capabilities.content')
      const recorder = await scope.live(transport)
      const content: MessageContent = {
        text: 'Pick a **plan**:\n\n- _Basic_\n- `Pro`\n\n> Prices <i>include</i> VAT & fees\n\n```\nplan = "pro"\n```\nSee [the guide](https://example.com/guide?a=1&b=2)',
        replies: [
          { type: 'reply', id: 'basic', label: 'Basic', payload: 'PLAN_BASIC' },
          { type: 'reply', id: 'pro', label: 'Pro ✨' },
          { type: 'postback', id: 'human', label: 'Talk to a person', payload: 'HANDOFF' }
        ],
        actions: [
          { type: 'link', id: 'guide', label: 'Open the guide', url: 'https://example.com/guide' },
          { type: 'host', id: 'buy', label: 'Buy Pro for €25', name: 'buy', data: { amount: 2500, currency: 'EUR', items: [{ sku: 'PRO', qty: 1 }], gift: false, note: null } },
          { type: 'postback', id: 'later', label: 'Remind me later', payload: 'REMIND' }
        ],
        blockComposer: true,
        metadata: { source: 'conformance', nested: { list: [1, 'two', true, null, 2.5], emoji: '🎉' } }
      }
      await send(conversation.id, content)
      await ensureReadBack(transport, conversation.id, recorder, [content], "the agent's message")
    }
  },
  {
    name: "carries a visitor's markdown, replyTo and metadata unchanged, to history and to the event stream",
    async run(scope) {
      const { transport, conversation } = await scope.thread()
      if (declared(transport).length === 0) skipCheck('the transport declares no capabilities.content')
      const question = await agentMessage(scope, transport, conversation.id, 'Which plan?')
      const recorder = await scope.live(transport)
      const content: VisitorContent = {
        text: 'I pick **Basic** ✓\nsecond line <b>as text</b>',
        replyTo: { messageId: question, actionId: 'basic' },
        metadata: { page: '/pricing?utm=chat', cart: { items: 2, total: 49.9 }, flags: [true, false], none: null }
      }
      ensureSameContent(await transport.send(conversation.id, { clientId: randomId(), ...content }), content, 'the answer to send()')
      await ensureReadBack(transport, conversation.id, recorder, [content], "the visitor's message")
    }
  },
  {
    name: 'stores a postback once per clientId however often it is sent, and shows no message for it',
    async run(scope) {
      const { transport, conversation } = await scope.thread()
      const { send, taken } = postbacks(scope, transport)
      const messageId = await agentMessage(scope, transport, conversation.id, 'Which plan?')
      const first: OutgoingPostback = { clientId: randomId(), payload: 'PLAN_PRO', messageId, actionId: 'pro' }
      const second: OutgoingPostback = { clientId: randomId(), payload: 'PLAN_PRO' }
      await send(conversation.id, first)
      await send(conversation.id, first)
      await Promise.all([send(conversation.id, second), send(conversation.id, second)])
      await ensureTaken(() => taken(conversation.id), [first, second], 'the postbacks the backend took (the first sent twice, the second twice at once)')
      const page = await transport.history(conversation.id, { limit: 50 })
      ensure(page.messages.length === 1, `a postback must show no message, but history() holds ${show(page.messages.map((m) => m.text))}`)
    }
  },
  {
    name: 'fails a postback whose answer was lost as retryable, and sending it again stores it once',
    faults: ['dropNextResponse'],
    async run(scope) {
      const dropNextResponse = fault(scope, 'dropNextResponse')
      const { transport, session, conversation } = await scope.thread()
      const { send, taken } = postbacks(scope, transport)
      const postback: OutgoingPostback = { clientId: randomId(), payload: 'HANDOFF' }
      await dropNextResponse(session)
      const lost = rejection(send(conversation.id, postback), 'a postback whose answer was lost (faults.dropNextResponse must lose the answer of a postback too)')
      const error = ensureConfabError(await lost, 'postback()')
      ensure(error.retryable, `a lost answer must be retryable, got code ${error.code} with retryable false`)
      await ensureTaken(() => taken(conversation.id), [postback], 'the postbacks the backend took before the answer was lost')
      await send(conversation.id, postback)
      await ensureTaken(() => taken(conversation.id), [postback], 'the postbacks the backend took after it was sent again')
    }
  },
  {
    name: 'lets a client show a message with a part of an unknown type by its text and its known parts, and report the unknown part',
    faults: ['storeUnknownPart'],
    async run(scope) {
      const storeUnknownPart = fault(scope, 'storeUnknownPart')
      const first = await scope.transport()
      const client = clientOn(scope, first)
      const errors: ConfabError[] = []
      client.on('error', (error) => void errors.push(error))
      await client.connect()
      const { id } = await client.startConversation()
      await onlineClient(scope, client)
      const image = declared(first).includes('image')
      const content: MessageContent = image ? { text: 'A newer kind of message', parts: [SAMPLE_PARTS.image] } : { text: 'A newer kind of message' }
      await storeUnknownPart(id, content)

      const readers = [{ client, errors, how: 'live' }]
      // Another client of the same visitor reads it from history.
      const resumeKey = client.$session.get()?.resumeKey
      if (resumeKey !== undefined) {
        const later: ConfabError[] = []
        const again = clientOn(scope, await scope.transport(), { get: () => resumeKey, set: () => undefined, remove: () => undefined })
        again.on('error', (error) => void later.push(error))
        await again.connect()
        await again.openConversation(id)
        readers.push({ client: again, errors: later, how: 'from history' })
      }
      for (const reader of readers) {
        await shown(scope, reader.client, id, `the message ${show(content.text)} (${reader.how})`, (messages) => messages.some((m) => m.text === content.text))
        const message = (reader.client.$messages.get()[id] ?? []).find((m) => m.text === content.text)
        ensureSameContent(message, content, `what the client shows (${reader.how}) of a message with an unknown part`)
        await until(scope, () => reader.errors.some(reportsUnknown), () =>
          `an error event naming the unknown part "x-unknown" (${reader.how}); the client reported ${show(reader.errors.map((e) => `${e.code}: ${e.message}`))}`
        )
      }
    }
  }
]

/** Resolve once `test` holds, looking every few milliseconds; fail after the check's wait with `what()`. */
async function until(scope: Scope, test: () => boolean, what: () => string): Promise<void> {
  const end = Date.now() + scope.waitMs
  while (!test()) {
    if (Date.now() > end) throw new ConformanceError(`Waited ${scope.waitMs} ms for ${what()}`)
    await scope.pause(10)
  }
}
