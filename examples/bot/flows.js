// @ts-check

/** @typedef {import('../../src/transports/types.js').MessageContent} MessageContent */
/** @typedef {import('../../src/transports/types.js').Message} Message */
/** @typedef {import('../../src/transports/types.js').Action} Action */
/** @typedef {import('../server/hook.js').Delivery} Delivery */
/** @typedef {import('./api.js').BotApi} BotApi */

/** After an agent wrote in a conversation, the bot leaves it to them for this long. */
export const AGENT_PRESENT_MS = 10 * 60_000

/** The plans the carousel shows; prices in cents. */
const PLANS = [
  { id: 'basic', title: 'Basic', description: 'One site, chat and messaging, 30 days of history.', amount: 900 },
  { id: 'pro', title: 'Pro', description: 'Five sites, bots, unlimited history. The most popular.', amount: 2500 },
  { id: 'team', title: 'Team', description: 'Unlimited sites, single sign-on, priority support.', amount: 7900 }
]

/** @param {number} cents */
const euros = (cents) => `€${cents / 100}`

/** Markdown's inline marks in what a visitor typed, escaped so it reads as typed (it sits mid-line). */
const literal = (/** @type {string} */ text) => text.replace(/[\\`*_[\]~]/g, '\\$&')

/** @type {Action} */
const HANDOFF = { type: 'postback', id: 'handoff', label: 'Talk to a person', payload: 'HANDOFF' }

/** What the visitor asked for, from the quick reply used or from words in the text. */
const INTENTS = /** @type {const} */ ([
  ['track', /\b(order|track|parcel|package|deliver)/i],
  ['plans', /\b(plans?|price|pricing|cost|subscri)/i],
  ['handoff', /\b(human|person|someone|agent)\b/i]
])

/**
 * The demo bot behind the bot hook: it answers the visitor's first words, unless they ask for
 * something it knows, with a greeting with quick replies, shows the plans as a card carousel
 * (link buttons and `buy` host actions), looks an order up with a form, hands over to a
 * person after a question that must be answered (`blockComposer`), asks for a rating when the
 * conversation is closed, and, when a visitor writes something it does not understand and no
 * agent answered within `delayMs`, says that an agent will answer, once until an agent has written.
 *
 * Each answer's `clientId` comes from the delivery's id, so a delivery handled twice (the hook
 * tried again after a lost answer, or the bot restarted) is answered once.
 *
 * @param {{ api: BotApi, assetsUrl?: string | Promise<string>, delayMs?: number, now?: () => number,
 *   onError?: (error: unknown) => void }} options
 *   `assetsUrl`: where the plans' pictures are (`<assetsUrl>/plan-pro.svg` …); none without it.
 *   `delayMs`: the wait before "an agent will answer"; 0 never says it. Default 4000.
 *
 * @example
 * const bot = createDemoBot({ api: botApi({ url, key }) })
 * await bot.handle(delivery)
 */
export function createDemoBot({ api, assetsUrl, delayMs = 4000, now = Date.now, onError = () => {} }) {
  /** @type {Map<string, ReturnType<typeof setTimeout>>} "an agent will answer" due, per conversation */
  const pending = new Map()
  /** Deliveries handled, newest last (a bounded memory: the clientIds cover older ones). */
  const handled = new Set()

  /** @param {string} conversationId */
  function cancel(conversationId) {
    clearTimeout(pending.get(conversationId))
    pending.delete(conversationId)
  }

  /**
   * Say "an agent will answer" after `delayMs`, unless it is pending already.
   * @param {Delivery} delivery
   */
  function later(delivery) {
    const { id } = delivery.conversation
    if (!(delayMs > 0) || pending.has(id)) return
    const timer = setTimeout(() => {
      pending.delete(id)
      waitingNote(delivery).catch(onError)
    }, delayMs)
    pending.set(id, timer)
  }

  /** @param {Delivery} delivery */
  async function waitingNote(delivery) {
    const { id } = delivery.conversation
    if (!needed(await api.history(id), now())) return
    await api.send(id, waiting(delivery.conversation.mode, 'Thanks for your message!'), `${delivery.id}:waiting`)
  }

  /**
   * Handle one delivery of the bot hook; resolves once the bot's answers are stored.
   * @param {Delivery} delivery
   */
  async function handle(delivery) {
    if (handled.has(delivery.id)) return
    const { id } = delivery.conversation
    let count = 0
    const say = (/** @type {MessageContent} */ content) => api.send(id, content, `${delivery.id}:${count++}`)
    switch (delivery.type) {
      // No greeting as the conversation starts: the widget starts it as the visitor's first message
      // goes, so a greeting stored then would come before that message, which takes its quick
      // replies away. The greeting answers the visitor's first words instead (see `message`).
      case 'conversation.started':
        break
      case 'conversation.closed':
        cancel(id)
        await say(ratingRequest())
        break
      case 'postback':
        if (delivery.postback.payload === 'HANDOFF') await say(handoffQuestion())
        break
      case 'message': {
        const answer = (await answerTo(delivery.message, delivery)) ?? ((await firstWords(id)) ? greeting() : undefined)
        if (answer) await say(answer)
        else later(delivery)
      }
    }
    handled.add(delivery.id)
    if (handled.size > 1000) handled.delete(handled.values().next().value)
  }

  /**
   * The bot's answer to a visitor's message, or `undefined` when it has none.
   * @param {Message} message
   * @param {Delivery} delivery
   * @returns {Promise<MessageContent | undefined>}
   */
  async function answerTo(message, delivery) {
    for (const part of message.parts ?? []) {
      if (part.type === 'form-response') return orderStatus(part.fields)
      if (part.type === 'rating-response') {
        // In a closed conversation only the survey may be written: the thanks would be refused.
        return delivery.conversation.status === 'open' ? { text: `Thank you for rating us ${part.score} out of 5!` } : undefined
      }
    }
    const chosen = message.replyTo?.actionId
    const intent = chosen ?? INTENTS.find(([, words]) => words.test(message.text))?.[0]
    switch (intent) {
      case 'track':
        return orderForm()
      case 'plans':
        return plans(assetsUrl === undefined ? undefined : await assetsUrl)
      case 'handoff':
        return handoffQuestion()
      case 'handoff-order':
      case 'handoff-other':
        return waiting(delivery.conversation.mode, 'Thanks! I have told the team.')
      default:
        return undefined
    }
  }

  /**
   * Whether the bot has said nothing yet in the conversation: the visitor's words are its first.
   * @param {string} conversationId
   */
  async function firstWords(conversationId) {
    return !(await api.history(conversationId)).some((message) => message.author.role === 'bot')
  }

  return {
    handle,
    /** Forget the pending notes. */
    stop() {
      for (const id of [...pending.keys()]) cancel(id)
    }
  }
}

/** @returns {MessageContent} */
function greeting() {
  return {
    text: 'Hi! I am the Confab demo bot. I can track an order, show our plans, or find you a person.',
    replies: [
      { type: 'reply', id: 'track', label: 'Track an order' },
      { type: 'reply', id: 'plans', label: 'See plans' },
      HANDOFF
    ],
    metadata: { flow: 'greeting' }
  }
}

/**
 * @param {string | undefined} assets
 * @returns {MessageContent}
 */
function plans(assets) {
  const base = assets?.replace(/\/+$/, '')
  return {
    text: `Here are our plans: ${PLANS.map((plan) => `${plan.title} (${euros(plan.amount)} a month)`).join(', ')}.`,
    parts: [
      {
        type: 'cards',
        layout: 'carousel',
        items: PLANS.map((plan) => ({
          title: plan.title,
          description: `${euros(plan.amount)} a month. ${plan.description}`,
          ...(base === undefined ? {} : { imageUrl: `${base}/plan-${plan.id}.svg`, imageAlt: '' }),
          actions: [
            { type: 'link', id: `${plan.id}-details`, label: 'Details', url: `https://example.com/plans/${plan.id}` },
            {
              type: 'host',
              id: `${plan.id}-buy`,
              label: `Buy for ${euros(plan.amount)}`,
              name: 'buy',
              data: { plan: plan.id, amount: plan.amount, currency: 'EUR' }
            }
          ]
        }))
      }
    ],
    replies: [HANDOFF],
    metadata: { flow: 'plans' }
  }
}

/** @returns {MessageContent} */
function orderForm() {
  return {
    text: 'Let us find your order: what is its number, and the email you ordered with?',
    parts: [
      {
        type: 'form',
        fields: [
          { name: 'order', label: 'Order number', type: 'text', required: true, placeholder: 'A-1234', maxLength: 20 },
          { name: 'email', label: 'Email', type: 'email', required: true, placeholder: 'you@example.com' }
        ],
        submitLabel: 'Find my order'
      }
    ],
    metadata: { flow: 'order-form' }
  }
}

/**
 * A made-up status for the order the form names (the same for the same number).
 * @param {{ name: string, value: string | string[] }[]} fields
 * @returns {MessageContent}
 */
function orderStatus(fields) {
  const answer = (/** @type {string} */ name) => [fields.find((field) => field.name === name)?.value ?? ''].flat().join(', ')
  const order = answer('order')
  const sum = [...order].reduce((total, char) => total + char.charCodeAt(0), 0)
  const status = ['has shipped and arrives tomorrow', 'is being packed and ships today', 'was delivered yesterday'][sum % 3]
  return {
    text: `Order **${literal(order)}** ${status}. Updates go to ${literal(answer('email'))}.`,
    replies: [{ type: 'reply', id: 'track', label: 'Track another order' }, HANDOFF],
    metadata: { flow: 'order-status' }
  }
}

/** @returns {MessageContent} */
function handoffQuestion() {
  return {
    text: 'Sure. So that the right person answers: is it about an order?',
    replies: [
      { type: 'reply', id: 'handoff-order', label: 'Yes, an order' },
      { type: 'reply', id: 'handoff-other', label: 'Something else' }
    ],
    blockComposer: true,
    metadata: { flow: 'handoff' }
  }
}

/** @returns {MessageContent} */
function ratingRequest() {
  return {
    text: 'Thanks for talking to us! How would you rate this conversation?',
    parts: [{ type: 'rating', question: 'How would you rate this conversation?', comment: true }],
    metadata: { flow: 'rating' }
  }
}

/**
 * "An agent will answer here soon": said once until an agent has written.
 * @param {'chat' | 'messaging'} mode
 * @param {string} opening
 * @returns {MessageContent}
 */
function waiting(mode, opening) {
  const after =
    mode === 'messaging' ? 'You can close this page: the answer will wait for you here.' : 'Please stay on this page for a moment.'
  return { text: `${opening} An agent will answer here soon. ${after}`, metadata: { flow: 'waiting' } }
}

/**
 * Whether the visitor is waiting for anyone: the newest message is not the bot's (a greeting that
 * came after the visitor's first words answers them), the bot has not said "an agent will answer"
 * since the last agent message, and that message (if any) is not recent.
 * @param {readonly Message[]} messages
 * @param {number} now
 */
export function needed(messages, now) {
  if (messages.at(-1)?.author.role === 'bot') return false
  for (let i = messages.length - 1; i >= 0; i--) {
    const { author, createdAt, metadata } = /** @type {Message} */ (messages[i])
    if (author.role === 'agent') return now - createdAt > AGENT_PRESENT_MS
    if (author.role === 'bot' && metadata?.flow === 'waiting') return false
  }
  return true
}
