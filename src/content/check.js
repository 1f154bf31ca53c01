// @ts-check
// The rules of a message's content (src/transports/types.ts, `MessageContent`), in one place for the
// client (before it sends), the client again (what a backend sends it), the memory transport and the
// reference server. Plain JavaScript with JSDoc types, so the server runs it from a clone with Node
// alone (no build), and the widget's TypeScript imports it as is.

/** @typedef {import('../transports/types.js').MessageContent} MessageContent */
/** @typedef {import('../transports/types.js').Part} Part */
/** @typedef {import('../transports/types.js').PartType} PartType */
/** @typedef {import('../transports/types.js').Action} Action */
/** @typedef {import('../transports/types.js').JsonValue} JsonValue */

/**
 * The limits of a message's content, the same for every backend that follows the protocol. Lengths
 * are JavaScript string lengths (UTF-16 code units); `metadata` is measured as UTF-8 JSON.
 */
export const LIMITS = Object.freeze({
  /** Characters of `text`. */
  text: 5000,
  /** Parts of a message. */
  parts: 10,
  /** Quick replies of a message. */
  replies: 10,
  /** Buttons of a message, and of a card. */
  actions: 3,
  /** Cards of a cards part. */
  cards: 10,
  /** Fields of a form. */
  fields: 10,
  /** Choices of a select field. */
  options: 20,
  /** Characters of a button's or a quick reply's label. */
  label: 80,
  /** Characters of a card's title. */
  title: 80,
  /** Characters of a card's description, a rating's question, an address. */
  description: 500,
  /** Characters of an answer to a text field, and of a rating's comment. */
  answer: 1000,
  /** Characters of a field's label, a choice's label, an image's alt text, a file's name. */
  name: 255,
  /** Characters of an id, a field's name, a choice's value. */
  id: 100,
  /** Characters of a postback's payload. */
  payload: 1000,
  /** Characters of a URL. */
  url: 2048,
  /** Bytes of `metadata` as UTF-8 JSON. */
  metadata: 4096
})

/** Every part type the content model knows, in the order of its documentation. */
export const PART_TYPES = /** @type {const} */ ([
  'image',
  'file',
  'location',
  'cards',
  'form',
  'form-response',
  'rating',
  'rating-response'
])

/** The part types a visitor may send; the others (cards, forms, rating requests) come from agents and bots. */
export const VISITOR_PART_TYPES = /** @type {const} */ (['image', 'file', 'location', 'form-response', 'rating-response'])

/**
 * A problem found in a message's content.
 * @typedef {object} ContentProblem
 * @property {string} path Where: `text`, `parts[1].items[0].title`, `metadata` …
 * @property {string} message A sentence that names the field and the rule or limit it broke.
 * @property {boolean} [tooLarge] The problem is a size limit (a server answers 413).
 */

/** Anything but white space and default-ignorable code points (zero-width and bidi marks): text that shows something. */
const VISIBLE = /[^\s\p{Default_Ignorable_Code_Point}]/u
const MEDIA_TYPE = /^[\w.+-]{1,63}\/[\w.+-]{1,63}$/
const FIELD_NAME = /^[\w.-]{1,100}$/

class Problem extends Error {
  /** @param {string} path @param {string} message @param {boolean} [tooLarge] */
  constructor(path, message, tooLarge) {
    super(message)
    this.path = path
    this.tooLarge = tooLarge
  }
}

/** `path.key`, or `key` at the top. @param {string} path @param {string} key */
const join = (path, key) => (path ? `${path}.${key}` : key)

/** @param {unknown} value @returns {value is Record<string, unknown>} */
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * A string field, `min` to `max` characters; `optional` lets it be absent.
 * @param {Record<string, unknown>} object @param {string} key @param {string} path
 * @param {{ max: number, min?: number, optional?: boolean, visible?: boolean }} rule
 * @returns {string | undefined}
 */
function string(object, key, path, { max, min = 1, optional = false, visible = false }) {
  const value = object[key]
  const at = join(path, key)
  if (value === undefined && optional) return undefined
  if (value === undefined) throw new Problem(at, `"${at}" is missing`)
  if (typeof value !== 'string') throw new Problem(at, `"${at}" must be a string`)
  if (value.length < min) throw new Problem(at, `"${at}" is empty`)
  if (visible && !VISIBLE.test(value)) throw new Problem(at, `"${at}" is blank`)
  if (value.length > max) throw new Problem(at, `"${at}" is longer than ${max} characters`, true)
  return value
}

/**
 * A URL with one of `schemes`.
 * @param {Record<string, unknown>} object @param {string} key @param {string} path
 * @param {readonly string[]} schemes @param {boolean} [optional]
 */
function url(object, key, path, schemes, optional = false) {
  const value = string(object, key, path, { max: LIMITS.url, optional })
  if (value === undefined) return undefined
  const at = join(path, key)
  let parsed
  try {
    parsed = new URL(value)
  } catch {
    throw new Problem(at, `"${at}" is not an absolute URL`)
  }
  if (!schemes.includes(parsed.protocol)) throw new Problem(at, `"${at}" must be a URL starting with ${schemes.join(' or ')}`)
  return value
}

/**
 * A finite number in `[min, max]`; `integer` asks for a whole one.
 * @param {Record<string, unknown>} object @param {string} key @param {string} path
 * @param {{ min: number, max: number, integer?: boolean, optional?: boolean }} rule
 */
function number(object, key, path, { min, max, integer = false, optional = true }) {
  const value = object[key]
  const at = join(path, key)
  if (value === undefined && optional) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new Problem(at, `"${at}" must be ${integer ? 'a whole number' : 'a number'}`)
  }
  if (value < min || value > max) throw new Problem(at, `"${at}" must be between ${min} and ${max}`)
  return value
}

/** @param {Record<string, unknown>} object @param {string} key @param {string} path */
function flag(object, key, path) {
  const value = object[key]
  if (value === undefined) return undefined
  const at = join(path, key)
  if (typeof value !== 'boolean') throw new Problem(at, `"${at}" must be true or false`)
  return value
}

/**
 * An array of 1 (or `min`) to `max` items.
 * @param {Record<string, unknown>} object @param {string} key @param {string} path
 * @param {{ max: number, min?: number, what: string, optional?: boolean }} rule
 * @returns {unknown[] | undefined}
 */
function list(object, key, path, { max, min = 1, what, optional = true }) {
  const value = object[key]
  const at = join(path, key)
  if (value === undefined && optional) return undefined
  if (!Array.isArray(value)) throw new Problem(at, `"${at}" must be an array of ${what}`)
  if (value.length < min) throw new Problem(at, `"${at}" must hold ${min} to ${max} ${what}`)
  if (value.length > max) throw new Problem(at, `"${at}" must hold ${min} to ${max} ${what}`, true)
  return value
}

/** Drop the keys whose value is `undefined`, so a normalized copy holds only what was given. */
const compact = /** @type {<T extends object>(object: T) => T} */ (
  (object) => /** @type {any} */ (Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)))
)

/** Link schemes a `link` action may open. */
const LINK_SCHEMES = ['http:', 'https:', 'mailto:', 'tel:']
/** Image and file sources on the wire. */
const MEDIA_SCHEMES = ['https:', 'http:']

/**
 * A JSON object of at most `LIMITS.metadata` bytes.
 * @param {unknown} value @param {string} at
 * @returns {Record<string, JsonValue>}
 */
function json(value, at) {
  if (!isObject(value)) throw new Problem(at, `"${at}" must be an object`)
  let text
  try {
    text = JSON.stringify(value)
  } catch {
    throw new Problem(at, `"${at}" is not JSON`)
  }
  if (new TextEncoder().encode(text).length > LIMITS.metadata) {
    throw new Problem(at, `"${at}" is larger than ${LIMITS.metadata} bytes as JSON`, true)
  }
  return JSON.parse(text)
}

/**
 * One action, normalized.
 * @param {unknown} value @param {string} at @param {readonly Action['type'][]} types
 * @returns {Action}
 */
function action(value, at, types) {
  if (!isObject(value)) throw new Problem(at, `"${at}" must be an object`)
  const type = value.type
  if (typeof type !== 'string' || !types.includes(/** @type {Action['type']} */ (type))) {
    throw new Problem(`${at}.type`, `"${at}.type" must be one of ${types.join(', ')}`)
  }
  const base = {
    id: /** @type {string} */ (string(value, 'id', at, { max: LIMITS.id })),
    label: /** @type {string} */ (string(value, 'label', at, { max: LIMITS.label, visible: true }))
  }
  switch (type) {
    case 'reply':
      return compact({ type, ...base, payload: string(value, 'payload', at, { max: LIMITS.payload, optional: true }) })
    case 'postback':
      return { type, ...base, payload: /** @type {string} */ (string(value, 'payload', at, { max: LIMITS.payload })) }
    case 'link':
      return { type, ...base, url: /** @type {string} */ (url(value, 'url', at, LINK_SCHEMES)) }
    default:
      return compact({
        type: 'host',
        ...base,
        name: /** @type {string} */ (string(value, 'name', at, { max: LIMITS.id })),
        data: value.data === undefined ? undefined : json(value.data, `${at}.data`)
      })
  }
}

const ALL_ACTIONS = /** @type {const} */ (['reply', 'postback', 'link', 'host'])

/**
 * A list of actions whose ids `seen` must not hold yet.
 * @param {Record<string, unknown>} object @param {string} key @param {string} path
 * @param {{ max: number, types: readonly Action['type'][], seen: Set<string>, what: string }} rule
 */
function actions(object, key, path, { max, types, seen, what }) {
  const items = list(object, key, path, { max, what })
  if (!items) return undefined
  const at = join(path, key)
  return items.map((item, index) => {
    const checked = action(item, `${at}[${index}]`, types)
    if (seen.has(checked.id)) throw new Problem(`${at}[${index}].id`, `"${at}[${index}].id" repeats the id "${checked.id}"`)
    seen.add(checked.id)
    return checked
  })
}

/**
 * One form field, normalized.
 * @param {unknown} value @param {string} at
 * @returns {import('../transports/types.js').FormField}
 */
function field(value, at) {
  if (!isObject(value)) throw new Problem(at, `"${at}" must be an object`)
  const name = /** @type {string} */ (string(value, 'name', at, { max: LIMITS.id }))
  if (!FIELD_NAME.test(name)) throw new Problem(`${at}.name`, `"${at}.name" may hold only letters, digits, "_", "." and "-"`)
  const type = value.type
  const types = ['text', 'email', 'number', 'select', 'multiselect']
  if (typeof type !== 'string' || !types.includes(type)) throw new Problem(`${at}.type`, `"${at}.type" must be one of ${types.join(', ')}`)
  const choice = type === 'select' || type === 'multiselect'
  const options = list(value, 'options', at, { max: LIMITS.options, what: 'choices', optional: !choice })
  if (options && !choice) throw new Problem(`${at}.options`, `"${at}.options" is only for select and multiselect fields`)
  const values = new Set()
  return compact({
    name,
    label: /** @type {string} */ (string(value, 'label', at, { max: LIMITS.name, visible: true })),
    type: /** @type {import('../transports/types.js').FormField['type']} */ (type),
    required: flag(value, 'required', at),
    placeholder: string(value, 'placeholder', at, { max: LIMITS.name, optional: true }),
    options: options?.map((option, index) => {
      const where = `${at}.options[${index}]`
      if (!isObject(option)) throw new Problem(where, `"${where}" must be an object`)
      const checked = {
        value: /** @type {string} */ (string(option, 'value', where, { max: LIMITS.id })),
        label: /** @type {string} */ (string(option, 'label', where, { max: LIMITS.name, visible: true }))
      }
      if (values.has(checked.value)) throw new Problem(`${where}.value`, `"${where}.value" repeats the value "${checked.value}"`)
      values.add(checked.value)
      return checked
    }),
    maxLength: number(value, 'maxLength', at, { min: 1, max: LIMITS.answer, integer: true }),
    min: number(value, 'min', at, { min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
    max: number(value, 'max', at, { min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER })
  })
}

/**
 * One part, normalized (unknown keys left out).
 * @param {unknown} value @param {string} at @param {Set<string>} seen ids of actions so far
 * @returns {Part}
 */
function part(value, at, seen) {
  if (!isObject(value)) throw new Problem(at, `"${at}" must be an object`)
  const type = value.type
  switch (type) {
    case 'image':
      return compact({
        type,
        url: /** @type {string} */ (url(value, 'url', at, MEDIA_SCHEMES)),
        alt: string(value, 'alt', at, { max: LIMITS.name, min: 0, optional: true }),
        width: number(value, 'width', at, { min: 1, max: 100000, integer: true }),
        height: number(value, 'height', at, { min: 1, max: 100000, integer: true }),
        mediaType: mediaType(value, at),
        name: string(value, 'name', at, { max: LIMITS.name, optional: true }),
        size: number(value, 'size', at, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true })
      })
    case 'file':
      return compact({
        type,
        url: /** @type {string} */ (url(value, 'url', at, MEDIA_SCHEMES)),
        name: /** @type {string} */ (string(value, 'name', at, { max: LIMITS.name, visible: true })),
        size: number(value, 'size', at, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }),
        mediaType: mediaType(value, at)
      })
    case 'location':
      return compact({
        type,
        latitude: /** @type {number} */ (number(value, 'latitude', at, { min: -90, max: 90, optional: false })),
        longitude: /** @type {number} */ (number(value, 'longitude', at, { min: -180, max: 180, optional: false })),
        name: string(value, 'name', at, { max: LIMITS.name, optional: true }),
        address: string(value, 'address', at, { max: LIMITS.description, optional: true })
      })
    case 'cards': {
      const layout = value.layout
      if (layout !== 'carousel' && layout !== 'list') throw new Problem(`${at}.layout`, `"${at}.layout" must be carousel or list`)
      const items = /** @type {unknown[]} */ (list(value, 'items', at, { max: LIMITS.cards, what: 'cards', optional: false }))
      return {
        type,
        layout,
        items: items.map((card, index) => {
          const where = `${at}.items[${index}]`
          if (!isObject(card)) throw new Problem(where, `"${where}" must be an object`)
          return compact({
            title: /** @type {string} */ (string(card, 'title', where, { max: LIMITS.title, visible: true })),
            description: string(card, 'description', where, { max: LIMITS.description, optional: true }),
            imageUrl: url(card, 'imageUrl', where, MEDIA_SCHEMES, true),
            imageAlt: string(card, 'imageAlt', where, { max: LIMITS.name, min: 0, optional: true }),
            actions: actions(card, 'actions', where, { max: LIMITS.actions, types: ALL_ACTIONS, seen, what: 'actions' })
          })
        })
      }
    }
    case 'form': {
      const fields = /** @type {unknown[]} */ (list(value, 'fields', at, { max: LIMITS.fields, what: 'fields', optional: false }))
      const names = new Set()
      return compact({
        type,
        fields: fields.map((item, index) => {
          const checked = field(item, `${at}.fields[${index}]`)
          if (names.has(checked.name)) throw new Problem(`${at}.fields[${index}].name`, `"${at}.fields[${index}].name" repeats the name "${checked.name}"`)
          names.add(checked.name)
          return checked
        }),
        submitLabel: string(value, 'submitLabel', at, { max: LIMITS.label, optional: true, visible: true })
      })
    }
    case 'form-response': {
      const fields = /** @type {unknown[]} */ (list(value, 'fields', at, { max: LIMITS.fields, what: 'answers', optional: false }))
      return {
        type,
        fields: fields.map((item, index) => {
          const where = `${at}.fields[${index}]`
          if (!isObject(item)) throw new Problem(where, `"${where}" must be an object`)
          const answer = item.value
          if (Array.isArray(answer)) {
            const values = /** @type {unknown[]} */ (list(item, 'value', where, { max: LIMITS.options, min: 0, what: 'values' }))
            values.forEach((item, i) => {
              if (typeof item !== 'string' || item.length > LIMITS.id) {
                throw new Problem(`${where}.value[${i}]`, `"${where}.value[${i}]" must be a string of at most ${LIMITS.id} characters`)
              }
            })
          } else {
            string(item, 'value', where, { max: LIMITS.answer, min: 0 })
          }
          return {
            name: /** @type {string} */ (string(item, 'name', where, { max: LIMITS.id })),
            label: /** @type {string} */ (string(item, 'label', where, { max: LIMITS.name })),
            value: /** @type {string | string[]} */ (Array.isArray(answer) ? [...answer] : answer)
          }
        })
      }
    }
    case 'rating':
      return compact({
        type,
        question: string(value, 'question', at, { max: LIMITS.description, optional: true, visible: true }),
        comment: flag(value, 'comment', at)
      })
    case 'rating-response':
      return compact({
        type,
        score: /** @type {1 | 2 | 3 | 4 | 5} */ (number(value, 'score', at, { min: 1, max: 5, integer: true, optional: false })),
        comment: string(value, 'comment', at, { max: LIMITS.answer, min: 0, optional: true })
      })
    default:
      throw new Problem(`${at}.type`, `"${at}.type" is not a part type this client knows (${JSON.stringify(type)})`)
  }
}

/** @param {Record<string, unknown>} value @param {string} at */
function mediaType(value, at) {
  const type = string(value, 'mediaType', at, { max: 127, optional: true })
  if (type !== undefined && !MEDIA_TYPE.test(type)) throw new Problem(`${at}.mediaType`, `"${at}.mediaType" is not a MIME type`)
  return type
}

/**
 * Check a message's content and return a normalized copy (only known keys), or the first problem.
 * `from: 'visitor'` also refuses what only agents and bots send (cards, forms, rating requests,
 * quick replies, buttons, `blockComposer`). Unknown top-level keys are left out, not refused.
 *
 * @param {unknown} content `{ text, parts?, replies?, actions?, blockComposer?, replyTo?, metadata? }`
 * @param {{ from: 'visitor' | 'agent' }} options
 * @returns {{ ok: true, content: MessageContent } | { ok: false, problem: ContentProblem }}
 * @example
 * const checked = checkContent(body, { from: 'visitor' })
 * if (!checked.ok) return reply(checked.problem.tooLarge ? 413 : 400, checked.problem.message)
 */
export function checkContent(content, { from }) {
  try {
    return { ok: true, content: read(content, from, undefined) }
  } catch (error) {
    if (error instanceof Problem) return { ok: false, problem: problemOf(error) }
    throw error
  }
}

/**
 * Make the best of content from a backend: every part, quick reply or button that breaks a rule, or
 * whose type `partTypes` does not list, is left out and reported; the rest (the text always) is kept.
 * Content that has no usable text gets a placeholder text of `"…"` and a problem.
 *
 * @param {unknown} content
 * @param {readonly string[]} partTypes the part types the transport carries
 * @returns {{ content: MessageContent, problems: ContentProblem[] }}
 */
export function cleanContent(content, partTypes) {
  /** @type {ContentProblem[]} */
  const problems = []
  const source = isObject(content) ? content : {}
  const keep = /** @type {<T>(read: () => T) => T | undefined} */ ((read) => {
    try {
      return read()
    } catch (error) {
      if (!(error instanceof Problem)) throw error
      problems.push(problemOf(error))
      return undefined
    }
  })
  const text = keep(() => string(source, 'text', '', { max: Infinity, visible: true })) ?? '…'
  const seen = new Set()
  /** @param {'replies' | 'actions'} key @param {number} max @param {readonly Action['type'][]} types */
  const someActions = (key, max, types) => {
    const items = keep(() => list(source, key, '', { max: Infinity, what: 'actions' }))
    const kept = items
      ?.slice(0, max)
      .map((item, index) =>
        keep(() => {
          const checked = action(item, `${key}[${index}]`, types)
          if (seen.has(checked.id)) throw new Problem(`${key}[${index}].id`, `"${key}[${index}].id" repeats the id "${checked.id}"`)
          seen.add(checked.id)
          return checked
        })
      )
      .filter((item) => item !== undefined)
    if (items && items.length > max) problems.push({ path: key, message: `"${key}" holds at most ${max} actions`, tooLarge: true })
    return kept?.length ? kept : undefined
  }
  const parts = keep(() => list(source, 'parts', '', { max: Infinity, what: 'parts' }))
    ?.slice(0, LIMITS.parts)
    .map((item, index) =>
      keep(() => {
        const at = `parts[${index}]`
        const type = isObject(item) ? item.type : undefined
        if (typeof type === 'string' && PART_TYPES.includes(/** @type {PartType} */ (type)) && !partTypes.includes(type)) {
          throw new Problem(`${at}.type`, `"${at}.type" is ${type}, which this transport does not carry`)
        }
        return part(item, at, seen)
      })
    )
    .filter((item) => item !== undefined)
  return {
    content: compact({
      text,
      parts: parts?.length ? parts : undefined,
      replies: someActions('replies', LIMITS.replies, ['reply', 'postback']),
      actions: someActions('actions', LIMITS.actions, ALL_ACTIONS),
      blockComposer: keep(() => flag(source, 'blockComposer', '')) || undefined,
      replyTo: keep(() => replyTo(source)),
      metadata: keep(() => (source.metadata === undefined ? undefined : json(source.metadata, 'metadata')))
    }),
    problems
  }
}

/** @param {Record<string, unknown>} source */
function replyTo(source) {
  const value = source.replyTo
  if (value === undefined) return undefined
  if (!isObject(value)) throw new Problem('replyTo', '"replyTo" must be an object')
  return compact({
    messageId: /** @type {string} */ (string(value, 'messageId', 'replyTo', { max: LIMITS.id })),
    actionId: string(value, 'actionId', 'replyTo', { max: LIMITS.id, optional: true })
  })
}

/** @param {Problem} error @returns {ContentProblem} */
const problemOf = (error) => compact({ path: error.path, message: error.message, tooLarge: error.tooLarge })

/**
 * @param {unknown} content @param {'visitor' | 'agent'} from @param {undefined} _
 * @returns {MessageContent}
 */
function read(content, from, _) {
  if (!isObject(content)) throw new Problem('', 'The message must be an object')
  const visitor = from === 'visitor'
  const text = /** @type {string} */ (string(content, 'text', '', { max: LIMITS.text, visible: true }))
  const seen = new Set()
  const parts = list(content, 'parts', '', { max: LIMITS.parts, what: 'parts' })?.map((item, index) => {
    const checked = part(item, `parts[${index}]`, seen)
    if (visitor && !VISITOR_PART_TYPES.includes(/** @type {any} */ (checked.type))) {
      throw new Problem(`parts[${index}].type`, `"parts[${index}].type" ${checked.type} is sent by agents and bots, not by visitors`)
    }
    return checked
  })
  for (const only of ['form', 'rating']) {
    if ((parts?.filter((p) => p.type === only).length ?? 0) > 1) throw new Problem('parts', `"parts" holds at most one ${only}`)
  }
  if (visitor) {
    for (const key of ['replies', 'actions', 'blockComposer']) {
      if (content[key] !== undefined) throw new Problem(key, `"${key}" is sent by agents and bots, not by visitors`)
    }
  }
  return compact({
    text,
    parts,
    replies: actions(content, 'replies', '', { max: LIMITS.replies, types: ['reply', 'postback'], seen, what: 'quick replies' }),
    actions: actions(content, 'actions', '', { max: LIMITS.actions, types: ALL_ACTIONS, seen, what: 'buttons' }),
    blockComposer: flag(content, 'blockComposer', '') || undefined,
    replyTo: replyTo(content),
    metadata: content.metadata === undefined ? undefined : json(content.metadata, 'metadata')
  })
}
