import type { TrackedEvent, Transport, VisitorDetails, VisitorSession } from '../../transports/types.js'
import { randomId } from '../../util/ids.js'
import { fault, type CheckDefinition } from './define.js'
import { ConformanceError, ensure, ensureConfabError, ensureEqual, rejection, show, skipCheck, type Scope } from './tools.js'

/** The transport's `updateVisitor()`, or a skip. */
function updates(transport: Transport) {
  if (typeof transport.updateVisitor !== 'function') skipCheck('the transport has no updateVisitor()')
  return transport.updateVisitor.bind(transport)
}

/** The transport's `trackEvent()`, or a skip. */
function events(transport: Transport) {
  if (typeof transport.trackEvent !== 'function') skipCheck('the transport has no trackEvent()')
  return transport.trackEvent.bind(transport)
}

/** What the backend knows of the visitor, through the harness's `agent.visitor()`, or a skip. */
function details(scope: Scope, session: VisitorSession): () => Promise<VisitorDetails> {
  const read = scope.harness.agent.visitor
  if (typeof read !== 'function') skipCheck('the harness offers no agent.visitor')
  return async () => {
    const known = await read.call(scope.harness.agent, session.visitorId)
    ensure(known && typeof known.attributes === 'object' && Array.isArray(known.events), `agent.visitor() must answer { attributes, page?, events }, got ${show(known)}`)
    return known
  }
}

/** Fail unless `promise` rejects with a ConfabError that is not retryable and has a 4xx status. */
async function ensureRefused(promise: Promise<unknown>, what: string): Promise<void> {
  const error = ensureConfabError(await rejection(promise, what), what)
  ensure(!error.retryable, `${what} must not be retryable: sending it again cannot help`)
  ensure(error.status === 400 || error.status === 413, `${what} must be refused with status 400 or 413, got ${show(error.status)}`)
}

/** Fail unless the backend kept exactly these events (by client id, name and metadata), oldest first. */
function ensureKept(kept: TrackedEvent[], expected: TrackedEvent[], what: string): void {
  const brief = (list: TrackedEvent[]) => list.map(({ clientId, name, metadata }) => ({ clientId, name, metadata }))
  ensureEqual(brief(kept), brief(expected), what)
}

const eventOf = (name: string, metadata?: TrackedEvent['metadata']): TrackedEvent => ({
  clientId: randomId(),
  name,
  at: Date.now(),
  ...(metadata === undefined ? {} : { metadata })
})

/** Visitor attributes, the page, and tracked events (`updateVisitor`, `trackEvent`). */
export const visitorChecks: CheckDefinition[] = [
  {
    name: 'merges visitor attributes, the last write winning per key and null deleting one, and keeps the page without its query',
    async run(scope) {
      const { transport, session } = await scope.visitor()
      const update = updates(transport)
      const read = details(scope, session)
      await update({ attributes: { plan: 'free', company: 'Acme', seats: 3, trial: true } })
      await update({
        attributes: { plan: 'pro', seats: 12, trial: null },
        page: { url: 'https://shop.example/orders/42?token=secret#top', title: 'Order 42', referrer: 'https://search.example/q?x=1' }
      })
      const known = await read()
      ensureEqual(known.attributes, { plan: 'pro', company: 'Acme', seats: 12 }, 'the attributes after two updates')
      const page = known.page
      ensure(page !== undefined, 'the backend must keep the page an update named')
      ensureEqual({ url: page.url, title: page.title, referrer: page.referrer }, { url: 'https://shop.example/orders/42', title: 'Order 42', referrer: 'https://search.example' }, 'the page kept (origin and path only, the referrer as an origin)')
    }
  },
  {
    name: 'refuses visitor attributes beyond the limits, and a malformed key, as not retryable',
    async run(scope) {
      const { transport, session } = await scope.visitor()
      const update = updates(transport)
      const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`key${i}`, i]))
      await ensureRefused(update({ attributes: many }), 'an update with 51 attributes')
      await ensureRefused(update({ attributes: { note: 'x'.repeat(501) } }), 'an attribute of 501 characters')
      await ensureRefused(update({ attributes: { 'my plan': 'pro' } }), 'an attribute whose key has a space')
      await ensureRefused(update({ attributes: { tags: ['a', 'b'] as never } }), 'an attribute whose value is an array')
      // Each update alone is within the limits; together they are not.
      await update({ attributes: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`a${i}`, i])) })
      await ensureRefused(update({ attributes: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`b${i}`, i])) }), 'an update that takes the visitor to 60 attributes')
      if (typeof scope.harness.agent.visitor === 'function') {
        const known = await details(scope, session)()
        ensureEqual(Object.keys(known.attributes).length, 30, 'attributes kept after the refused updates')
      }
    }
  },
  {
    name: 'stores a tracked event once per clientId however often it is sent, with its metadata',
    async run(scope) {
      const { transport, session } = await scope.visitor()
      const track = events(transport)
      const read = details(scope, session)
      const first = eventOf('pricing:viewed')
      const second = eventOf('order:placed', { orderId: 42, total: 99.5, items: ['boots'] })
      await track(first)
      await track(first)
      await Promise.all([track(second), track(second)])
      ensureKept((await read()).events, [first, second], 'the events the backend kept (each sent twice)')
    }
  },
  {
    name: 'refuses a tracked event with a malformed name or metadata over 2 KB, as not retryable',
    async run(scope) {
      const { transport } = await scope.visitor()
      const track = events(transport)
      await ensureRefused(track(eventOf(' starts with a space')), 'an event named " starts with a space"')
      await ensureRefused(track(eventOf('x'.repeat(65))), 'an event name of 65 characters')
      await ensureRefused(track(eventOf('order/placed')), 'an event named "order/placed"')
      await ensureRefused(track(eventOf('big', { note: 'x'.repeat(2100) })), 'an event with 2,100 bytes of metadata')
    }
  },
  {
    name: 'fails a tracked event whose answer was lost as retryable, and sending it again stores it once',
    faults: ['dropNextResponse'],
    async run(scope) {
      const dropNextResponse = fault(scope, 'dropNextResponse')
      const { transport, session } = await scope.visitor()
      const track = events(transport)
      const read = details(scope, session)
      const event = eventOf('checkout:started', { cart: 3 })
      await dropNextResponse(session)
      const lost = rejection(track(event), 'an event whose answer was lost (faults.dropNextResponse must lose the answer of a tracked event too)')
      const error = ensureConfabError(await lost, 'trackEvent()')
      ensure(error.retryable, `a lost answer must be retryable, got code ${error.code} with retryable false`)
      const before = (await read()).events
      if (before.length !== 1) throw new ConformanceError(`the backend must have stored the event before losing its answer, but keeps ${show(before)}`)
      await track(event)
      ensureKept((await read()).events, [event], 'the events the backend kept after it was sent again')
    }
  }
]
