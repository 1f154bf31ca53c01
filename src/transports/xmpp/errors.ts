import { createError, type ConfabError, type ConfabErrorCode } from '../../errors/index.js'
import { child, NS } from './xml.js'

/** Stanza error conditions (RFC 6120 §8.3.3) and the Confab code each becomes. */
const CODES: Record<string, ConfabErrorCode> = {
  'item-not-found': 'not-found',
  gone: 'not-found',
  'recipient-unavailable': 'not-found',
  'remote-server-not-found': 'not-found',
  'not-authorized': 'unauthorized',
  forbidden: 'unauthorized',
  'registration-required': 'unauthorized',
  'subscription-required': 'unauthorized',
  'not-allowed': 'unauthorized',
  'resource-constraint': 'rate-limited',
  'policy-violation': 'rate-limited',
  'bad-request': 'invalid-argument',
  'jid-malformed': 'invalid-argument',
  'not-acceptable': 'invalid-argument',
  'feature-not-implemented': 'unsupported',
  'service-unavailable': 'unsupported',
  'remote-server-timeout': 'timeout'
}

/**
 * The error of an `<iq type="error">`, `<message type="error">` or `<presence type="error">`.
 * `retryable` follows the error's `type`: only `wait` ("retry after waiting") may succeed later,
 * and `resource-constraint` / `policy-violation` are how XMPP servers say "slow down".
 *
 * @example
 * stanzaError(reply, 'MAM query to room@muc.example') // ConfabError { code: 'not-found', condition: 'item-not-found' }
 */
export function stanzaError(stanza: Element, label: string): ConfabError {
  const error = child(stanza, 'error')
  const type = error?.getAttribute('type') ?? 'cancel'
  const condition = conditionIn(error, NS.stanzas)
  const text = child(error, 'text', NS.stanzas)?.textContent
  const code = CODES[condition] ?? (type === 'wait' ? 'network' : 'http')
  // An application-specific condition (RFC 6120 §8.3.4) says more, e.g. XEP-0363's <file-too-large/>.
  const specific = Array.from(error?.children ?? []).find((node) => node.namespaceURI !== NS.stanzas)?.localName
  return createError(code, `${label} failed: ${condition}${text ? ` (${text})` : ''}`, {
    retryable: type === 'wait' || code === 'rate-limited' || code === 'timeout',
    data: specific ? { condition, type, specific } : { condition, type }
  })
}

/** The error condition element's name in an `<error>` (stanza) or `<stream:error>`: its child that is not `<text>`. */
export function conditionIn(error: Element | undefined, ns?: string): string {
  return Array.from(error?.children ?? []).find((node) => (ns === undefined || node.namespaceURI === ns) && node.localName !== 'text')?.localName ?? 'undefined-condition'
}

/** Call `run`; if it throws, throw that later from a microtask (it still reaches the console), so the caller goes on. */
export function callSafely(run: () => void): void {
  try {
    run()
  } catch (error) {
    queueMicrotask(() => {
      throw error
    })
  }
}

/** The stream was lost (closed, reset, not answered): the outcome of what was under way is unknown. */
export const connectionLost = (label: string, cause?: unknown): ConfabError =>
  createError('network', `${label}: the connection to the XMPP server was lost`, { retryable: true, cause })

/** The stanza error condition of a {@link stanzaError}, if `error` is one. */
export function conditionOf(error: unknown): string | undefined {
  return ((error as { data?: { condition?: unknown } } | null)?.data?.condition as string | undefined) ?? undefined
}
