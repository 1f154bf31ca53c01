import { acceptsType, isTypePattern } from '../../content/upload-types.js'
import type {
  FilePart,
  ImagePart,
  Transport,
  UploadLimits,
  UploadRequest,
  UploadSlot,
  VisitorContent,
  VisitorSession
} from '../../transports/types.js'
import { randomId } from '../../util/ids.js'
import { ensureSameContent } from './content.js'
import { fault, needCapability, type CheckDefinition } from './define.js'
import { ConformanceError, ensure, ensureConfabError, ensureEqual, rejection, show, skipCheck, type Scope } from './tools.js'

/** A file the kit uploads: bytes a backend that checks content (by magic numbers, as UTF-8) takes as their type. */
interface Sample {
  name: string
  type: string
  bytes: Uint8Array<ArrayBuffer>
}

const bytesOf = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))

/** Pictures, first choice first: a 1×1 PNG, a 1×1 GIF. */
const IMAGES: Sample[] = [
  {
    name: 'conformance 1×1.png',
    type: 'image/png',
    bytes: bytesOf('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==')
  },
  { name: 'conformance 1×1.gif', type: 'image/gif', bytes: bytesOf('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==') }
]

/** Documents, first choice first: UTF-8 text, a small PDF. */
const DOCUMENTS: Sample[] = [
  { name: 'conformance notes – été.txt', type: 'text/plain', bytes: new TextEncoder().encode('Order A-1042 arrived damaged. Ça arrive ✓\n') },
  { name: 'conformance.pdf', type: 'application/pdf', bytes: new TextEncoder().encode('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n') }
]

/** Types no backend should take from a visitor, to find one the limits refuse. */
const REFUSED_TYPES = ['application/x-msdownload', 'application/x-confab-conformance-refused']

/** The session's upload limits, checked; the check fails when the transport declares uploads without them. */
async function limitsOf(scope: Scope): Promise<{ transport: Transport; session: VisitorSession; limits: UploadLimits }> {
  const { transport, session } = await scope.visitor()
  needCapability(transport, 'uploads')
  const limits = session.uploadLimits
  ensure(limits !== undefined, `connect() must announce uploadLimits when capabilities.uploads is true, got ${show(session)}`)
  return { transport, session, limits }
}

/** The first of `samples` the limits accept, or a skip. */
function pick(limits: UploadLimits, samples: Sample[]): Sample {
  const found = samples.find((sample) => sample.bytes.length <= limits.maxBytes && acceptsType(limits.types, sample.type))
  if (!found) skipCheck(`the upload limits accept none of the kit's files (${samples.map((s) => s.type).join(', ')})`)
  return found
}

const requestOf = (sample: Sample, clientId = randomId()): UploadRequest => ({ clientId, name: sample.name, size: sample.bytes.length, type: sample.type })

/** Ask for a slot, failing with what the transport answered. */
async function slotFor(transport: Transport, conversationId: string, request: UploadRequest): Promise<UploadSlot> {
  const slot = await transport.requestUpload!(conversationId, request)
  ensure(typeof slot?.putUrl === 'string' && slot.putUrl !== '', `requestUpload() must answer a slot with a putUrl, got ${show(slot)}`)
  ensure(typeof slot.getUrl === 'string' && slot.getUrl !== '', `requestUpload() must answer a slot with a getUrl, got ${show(slot)}`)
  ensure(slot.expiresAt === undefined || Number.isFinite(slot.expiresAt), `a slot's expiresAt must be a time in ms, got ${show(slot.expiresAt)}`)
  return slot
}

/**
 * Put a sample's bytes to a slot: with the transport's `putUpload` when it has one, else as the
 * client does without one, a plain HTTP `PUT` of the bytes with the slot's headers. Resolves with
 * `'stored'`, or the status of the refusal and what it said.
 */
async function tryPut(transport: Transport, slot: UploadSlot, sample: Sample): Promise<'stored' | { status?: number; said: string }> {
  if (typeof transport.putUpload === 'function') {
    try {
      await transport.putUpload(slot, new Blob([sample.bytes], { type: sample.type }))
      return 'stored'
    } catch (error) {
      const refused = ensureConfabError(error, 'putUpload()')
      return { status: refused.status, said: refused.message }
    }
  }
  const answer = await fetch(slot.putUrl, { method: 'PUT', headers: slot.headers, body: sample.bytes })
  const said = await answer.text().catch(() => '')
  return answer.ok ? 'stored' : { status: answer.status, said: `PUT ${slot.putUrl} answered ${answer.status} ${said.slice(0, 200)}` }
}

/** {@link tryPut}, which must store the bytes. */
async function putSample(transport: Transport, slot: UploadSlot, sample: Sample): Promise<void> {
  const result = await tryPut(transport, slot, sample)
  ensure(result === 'stored', `the bytes put to a slot with its headers were refused: ${result === 'stored' ? '' : result.said}`)
}

/** A slot for the sample in the conversation, with its bytes put. */
async function uploaded(transport: Transport, conversationId: string, sample: Sample): Promise<UploadSlot> {
  const slot = await slotFor(transport, conversationId, requestOf(sample))
  await putSample(transport, slot, sample)
  return slot
}

/** Fail unless `promise` rejects with a ConfabError of `status` that is not retryable. */
async function ensureRefused(promise: Promise<unknown>, status: number, what: string): Promise<void> {
  const error = ensureConfabError(await rejection(promise, what), what)
  ensureEqual(error.status, status, `status of the error of ${what}`)
  ensure(!error.retryable, `${what} must not be retryable: asking again cannot help`)
}

/** File uploads: slots, the bytes, the files in messages, and the limits. */
export const uploadChecks: CheckDefinition[] = [
  {
    name: 'announces upload limits with the session when it declares uploads: a whole maxBytes and MIME types',
    async run(scope) {
      const { limits } = await limitsOf(scope)
      ensure(Number.isSafeInteger(limits.maxBytes) && limits.maxBytes > 0, `uploadLimits.maxBytes must be a whole number of bytes, got ${show(limits.maxBytes)}`)
      ensure(Array.isArray(limits.types), `uploadLimits.types must be an array, got ${show(limits.types)}`)
      const bad = limits.types.filter((type) => !isTypePattern(type))
      ensure(bad.length === 0, `uploadLimits.types must hold MIME types (image/png) or families (image/*), got ${show(bad)}`)
    }
  },
  {
    name: 'grants an upload slot, and the same slot again for the same clientId',
    async run(scope) {
      const { transport, limits } = await limitsOf(scope)
      const conversation = await transport.createConversation({ mode: 'messaging' })
      const request = requestOf(pick(limits, [...IMAGES, ...DOCUMENTS]))
      const first = await slotFor(transport, conversation.id, request)
      ensure(first.expiresAt === undefined || first.expiresAt > Date.now(), `a new slot must not have expired already (expiresAt ${first.expiresAt})`)
      ensure(!first.stored, `a new slot cannot be stored already, got ${show(first)}`)
      const again = await slotFor(transport, conversation.id, request)
      ensureEqual(again.getUrl, first.getUrl, 'getUrl of the slot asked again with the same clientId')
    }
  },
  {
    name: 'stores the bytes put to a slot, serves the same bytes at its getUrl, and answers stored for it afterwards',
    async run(scope) {
      const { transport, limits } = await limitsOf(scope)
      const conversation = await transport.createConversation({ mode: 'messaging' })
      const sample = pick(limits, [...IMAGES, ...DOCUMENTS])
      const request = requestOf(sample)
      const slot = await slotFor(transport, conversation.id, request)
      await putSample(transport, slot, sample)
      let served: Uint8Array
      try {
        const answer = await fetch(slot.getUrl)
        ensure(answer.ok, `GET ${slot.getUrl} answered ${answer.status}`)
        served = new Uint8Array(await answer.arrayBuffer())
      } catch (error) {
        if (error instanceof ConformanceError) throw error
        throw new ConformanceError(`GET ${slot.getUrl} failed: ${error instanceof Error ? error.message : show(error)}`, { cause: error })
      }
      ensureEqual([...served], [...sample.bytes], `the bytes served at getUrl for the ${sample.type} put`)
      const again = await slotFor(transport, conversation.id, request)
      ensure(again.stored === true, `requestUpload() with the clientId of a file whose bytes are in must answer stored: true, got ${show(again)}`)
      ensureEqual(again.getUrl, slot.getUrl, 'getUrl of the stored file asked again')
    }
  },
  {
    name: "stores a visitor's message with an image and a file part pointing at uploaded files, and gives it back in history",
    async run(scope) {
      const { transport, limits } = await limitsOf(scope)
      const declared = transport.capabilities.content ?? []
      if (!declared.includes('image') || !declared.includes('file')) skipCheck('the transport does not carry image and file parts (capabilities.content)')
      const conversation = await transport.createConversation({ mode: 'messaging' })
      const [picture, document] = [pick(limits, IMAGES), pick(limits, DOCUMENTS)]
      const [image, file] = [await uploaded(transport, conversation.id, picture), await uploaded(transport, conversation.id, document)]
      const parts: [ImagePart, FilePart] = [
        { type: 'image', url: image.getUrl, alt: 'A pixel', width: 1, height: 1, mediaType: picture.type, name: picture.name, size: picture.bytes.length },
        { type: 'file', url: file.getUrl, name: document.name, size: document.bytes.length, mediaType: document.type }
      ]
      const content: VisitorContent = { text: 'The photo and the notes', parts }
      ensureSameContent(await transport.send(conversation.id, { clientId: randomId(), ...content }), content, 'the answer to send()')
      const page = await transport.history(conversation.id, { limit: 50 })
      ensureSameContent(page.messages.find((m) => m.text === content.text), content, 'the message with uploaded files read from history()')
    }
  },
  {
    name: 'refuses the bytes put to a slot that expired with 403 or 410, and the slot asked again takes them',
    faults: ['expireUploads'],
    async run(scope) {
      const expireUploads = fault(scope, 'expireUploads')
      const { transport, session, limits } = await limitsOf(scope)
      const conversation = await transport.createConversation({ mode: 'messaging' })
      const sample = pick(limits, [...IMAGES, ...DOCUMENTS])
      const request = requestOf(sample)
      const slot = await slotFor(transport, conversation.id, request)
      await expireUploads(session)
      const late = await tryPut(transport, slot, sample)
      ensure(late !== 'stored', 'the bytes put to a slot after it expired were stored (faults.expireUploads must expire the slot)')
      ensure(late.status === 403 || late.status === 410, `a PUT to an expired slot must be refused with 403 or 410, got ${late.status}: ${late.said}`)
      const fresh = await slotFor(transport, conversation.id, request)
      ensure(!fresh.stored, `a file whose PUT was refused cannot be stored, got ${show(fresh)}`)
      await putSample(transport, fresh, sample)
      const again = await slotFor(transport, conversation.id, request)
      ensure(again.stored === true, `requestUpload() after the bytes went to the fresh slot must answer stored: true, got ${show(again)}`)
    }
  },
  {
    name: 'refuses a slot for a file larger than uploadLimits.maxBytes with status 413, not retryable',
    async run(scope) {
      const { transport, limits } = await limitsOf(scope)
      const conversation = await transport.createConversation({ mode: 'messaging' })
      const sample = pick({ ...limits, maxBytes: Number.MAX_SAFE_INTEGER }, [...IMAGES, ...DOCUMENTS])
      const request = { ...requestOf(sample), size: limits.maxBytes + 1 }
      await ensureRefused(transport.requestUpload!(conversation.id, request), 413, `requestUpload() of ${limits.maxBytes + 1} bytes`)
    }
  },
  {
    name: 'refuses a slot for a type uploadLimits.types does not accept with status 415, not retryable',
    async run(scope) {
      const { transport, limits } = await limitsOf(scope)
      const type = REFUSED_TYPES.find((candidate) => !acceptsType(limits.types, candidate))
      if (type === undefined) skipCheck(`the upload limits accept any type (${show(limits.types)})`)
      const conversation = await transport.createConversation({ mode: 'messaging' })
      // Within maxBytes, so only the type can be what is refused.
      const request: UploadRequest = { clientId: randomId(), name: 'setup.exe', size: Math.min(1024, limits.maxBytes), type }
      await ensureRefused(transport.requestUpload!(conversation.id, request), 415, `requestUpload() of a ${type} file`)
    }
  }
]
