// @ts-check
// The agent console: lists every conversation live, shows one, answers and closes it.
// Plain browser JavaScript, no build. Data is only ever rendered with textContent.

/**
 * @typedef {{ role: 'visitor' | 'agent' | 'bot' | 'system', id?: string, name?: string }} Author
 * @typedef {{ id: string, clientId?: string, conversationId: string, seq: number, author: Author, text: string, createdAt: number }} Message
 * @typedef {{ id: string, name?: string, email?: string }} Identified The site's own user id, name and email.
 * @typedef {{ id: string, visitorId: string, visitor?: { id: string, identified?: Identified },
 *             mode: 'chat' | 'messaging', status: 'open' | 'closed', subject?: string,
 *             createdAt: number, updatedAt: number, lastMessage?: Message }} Conversation
 */

const key = new URLSearchParams(location.search).get('key') || 'demo-agent'
const auth = { authorization: `Bearer ${key}` }

/** @type {Map<string, Conversation>} */
const conversations = new Map()
/** The open conversation's messages, by seq. @type {Message[]} */
let messages = []
/** @type {string | null} */
let openId = null
/** @type {string | null} cursor to the messages before the loaded ones */
let olderCursor = null
/** The last event id received, to resume the stream after a drop. */
let lastEventId = ''
/** The reply being sent, so a retry of the same text reuses its clientId (the server stores it once). */
let pending = { text: '', clientId: '' }

/**
 * @template {Element} T
 * @param {string} selector
 * @param {new () => T} type
 * @returns {T}
 */
function $(selector, type) {
  const found = document.querySelector(selector)
  if (!(found instanceof type)) throw new Error(`agent console: ${selector} is missing`)
  return found
}

const ui = {
  connection: $('.connection', HTMLElement),
  list: $('.conversations', HTMLUListElement),
  empty: $('.empty', HTMLElement),
  thread: $('.thread', HTMLElement),
  placeholder: $('.placeholder', HTMLElement),
  title: $('.thread-title', HTMLElement),
  meta: $('.thread-meta', HTMLElement),
  close: $('.close', HTMLButtonElement),
  older: $('.older', HTMLButtonElement),
  messages: $('.messages', HTMLOListElement),
  typing: $('.typing', HTMLElement),
  form: $('.composer', HTMLFormElement),
  reply: $('.composer textarea', HTMLTextAreaElement),
  send: $('.composer button', HTMLButtonElement),
  error: $('.error', HTMLElement)
}

/**
 * @param {string} path
 * @param {RequestInit & { json?: unknown }} [init]
 */
async function api(path, init = {}) {
  const { json, ...rest } = init
  const headers = { ...auth, ...(json === undefined ? {} : { 'content-type': 'application/json' }) }
  const response = await fetch(path, { ...rest, headers, body: json === undefined ? rest.body : JSON.stringify(json) })
  const body = response.status === 204 ? null : await response.json().catch(() => null)
  if (!response.ok) throw new Error(body?.error?.message ?? `${path} answered ${response.status}`)
  return body
}

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} [className]
 * @param {string} [text]
 */
function el(tag, className, text) {
  const node = document.createElement(tag)
  if (className) node.className = className
  if (text !== undefined) node.textContent = text
  return node
}

/** @param {number} ms */
const time = (ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })

/**
 * Who a conversation belongs to: the identified user's name (or email, or site id), else
 * "Visitor" and the start of the visitor id, enough to tell visitors apart.
 * @param {Conversation} c
 */
function visitorName(c) {
  const user = c.visitor?.identified
  if (user) return user.name || user.email || user.id
  return `Visitor ${c.visitorId.replace(/^v_/, '').slice(0, 6)}`
}

/**
 * The thread header's line about the visitor: name, email and site user id when identified.
 * @param {Conversation} c
 */
function visitorDetails(c) {
  const user = c.visitor?.identified
  if (!user) return `anonymous ${c.visitorId}`
  const email = user.email && user.email !== visitorName(c) ? ` <${user.email}>` : ''
  return `${visitorName(c)}${email}, site user ${user.id}`
}

/**
 * @param {Author} author
 * @param {Conversation} [c] The conversation, to name its visitor.
 */
function authorName(author, c) {
  if (author.role === 'visitor') return c ? visitorName(c) : 'Visitor'
  return author.name || (author.role === 'agent' ? 'Agent' : author.role)
}

/** Keep whichever copy of a conversation is newer (events may overtake a list being loaded). @param {Conversation} next */
function upsert(next) {
  const known = conversations.get(next.id)
  if (!known || next.updatedAt >= known.updatedAt || next.status !== known.status) {
    conversations.set(next.id, known ? { ...known, ...next } : next)
  }
}

function renderList() {
  const sorted = [...conversations.values()].sort((a, b) => b.updatedAt - a.updatedAt)
  ui.empty.hidden = sorted.length > 0
  ui.list.replaceChildren(
    ...sorted.map((c) => {
      const item = el('li')
      const button = el('button')
      button.type = 'button'
      button.dataset.testid = 'conversation-item'
      button.dataset.conversationId = c.id
      button.dataset.status = c.status
      button.dataset.waiting = String(c.status === 'open' && c.lastMessage?.author.role === 'visitor')
      button.setAttribute('aria-current', String(c.id === openId))
      button.dataset.visitorId = c.visitorId
      button.dataset.identified = String(Boolean(c.visitor?.identified))
      const top = el('div', 'row')
      const who = el('span')
      const name = el('span', 'who', visitorName(c))
      name.dataset.testid = 'conversation-visitor'
      name.title = c.visitorId
      who.append(name, el('span', 'badge', c.mode))
      if (c.status === 'closed') who.append(el('span', 'badge closed', 'closed'))
      top.append(who, el('span', 'when', time(c.updatedAt)))
      const last = c.lastMessage
      const preview = el('div', 'preview', last ? `${authorName(last.author, c)}: ${last.text}` : 'No messages yet')
      preview.dataset.testid = 'conversation-preview'
      button.append(top)
      const email = c.visitor?.identified?.email
      if (email && email !== visitorName(c)) {
        const line = el('div', 'email', email)
        line.dataset.testid = 'conversation-email'
        button.append(line)
      }
      button.append(preview)
      button.addEventListener('click', () => void openConversation(c.id))
      item.append(button)
      return item
    })
  )
}

function renderThread() {
  const conversation = openId === null ? undefined : conversations.get(openId)
  ui.thread.hidden = !conversation
  ui.placeholder.hidden = Boolean(conversation)
  if (!conversation) return
  ui.title.textContent = conversation.subject || `Conversation with ${visitorName(conversation)}`
  ui.meta.textContent = [visitorDetails(conversation), conversation.mode, conversation.status, conversation.id].join(' · ')
  const closed = conversation.status === 'closed'
  ui.close.disabled = closed
  ui.reply.disabled = closed
  ui.send.disabled = closed
  ui.older.hidden = olderCursor === null
  const atBottom = ui.messages.scrollHeight - ui.messages.scrollTop - ui.messages.clientHeight < 40
  ui.messages.replaceChildren(
    ...messages.map((m) => {
      const item = el('li', 'message')
      item.dataset.testid = 'agent-message'
      item.dataset.role = m.author.role
      item.dataset.seq = String(m.seq)
      item.append(el('div', 'meta', `${authorName(m.author, conversation)} · ${time(m.createdAt)}`), el('div', 'text', m.text))
      return item
    })
  )
  if (atBottom) ui.messages.scrollTop = ui.messages.scrollHeight
}

/** @param {string} text */
function showError(text) {
  ui.error.textContent = text
  ui.error.hidden = text === ''
}

/** Add messages to the open thread, in seq order, without duplicates. @param {Message[]} incoming */
function merge(incoming) {
  const bySeq = new Map(messages.map((m) => [m.seq, m]))
  for (const m of incoming) if (m.conversationId === openId) bySeq.set(m.seq, m)
  messages = [...bySeq.values()].sort((a, b) => a.seq - b.seq)
}

async function loadConversations() {
  const { conversations: list } = await api('/v1/agent/conversations')
  for (const c of /** @type {Conversation[]} */ (list)) upsert(c)
  renderList()
}

/** @param {string} id */
async function openConversation(id) {
  if (openId !== id) {
    openId = id
    messages = []
    pending = { text: '', clientId: '' }
    ui.reply.value = ''
    ui.typing.hidden = true
    showError('')
  }
  renderList()
  const page = await api(`/v1/agent/conversations/${encodeURIComponent(id)}/messages?limit=100`)
  if (openId !== id) return
  merge(page.messages)
  olderCursor = page.before
  renderThread()
  ui.messages.scrollTop = ui.messages.scrollHeight
  ui.reply.focus()
}

async function loadOlder() {
  if (openId === null || olderCursor === null) return
  const id = openId
  const page = await api(`/v1/agent/conversations/${encodeURIComponent(id)}/messages?limit=100&before=${olderCursor}`)
  if (openId !== id) return
  merge(page.messages)
  olderCursor = page.before
  renderThread()
}

/** Fetch what the open thread misses after its newest message (a gap in seq). */
async function catchUp() {
  if (openId === null) return
  const id = openId
  const after = messages.length > 0 ? /** @type {Message} */ (messages[messages.length - 1]).seq : 0
  const page = await api(`/v1/agent/conversations/${encodeURIComponent(id)}/messages?limit=100&after=${after}`)
  if (openId !== id) return
  merge(page.messages)
  renderThread()
}

async function sendReply() {
  if (openId === null) return
  const text = ui.reply.value
  if (text.trim() === '') return
  if (pending.text !== text) pending = { text, clientId: crypto.randomUUID() }
  ui.send.disabled = true
  try {
    const message = await api(`/v1/agent/conversations/${encodeURIComponent(openId)}/messages`, {
      method: 'POST',
      json: { clientId: pending.clientId, text }
    })
    if (ui.reply.value === text) ui.reply.value = ''
    pending = { text: '', clientId: '' }
    showError('')
    stopTyping()
    merge([message])
    renderThread()
  } catch (error) {
    showError(`Not sent: ${/** @type {Error} */ (error).message}. Press Enter to try again.`)
  } finally {
    ui.send.disabled = conversations.get(openId ?? '')?.status === 'closed'
  }
}

// Typing indicator for the visitor: on while keys are pressed, off after 3 s of quiet or on send.
/** @type {ReturnType<typeof setTimeout> | undefined} */
let typingTimer
let typing = false
/** @param {boolean} on */
function setTyping(on) {
  if (openId === null || typing === on) return
  typing = on
  api(`/v1/agent/conversations/${encodeURIComponent(openId)}/typing`, { method: 'POST', json: { typing: on } }).catch(() => {})
}
function stopTyping() {
  clearTimeout(typingTimer)
  setTyping(false)
}

/**
 * @param {string} name
 * @param {any} data
 */
function onEvent(name, data) {
  if (name === 'conversation') {
    upsert(data.conversation)
    renderList()
    if (data.conversation.id === openId) renderThread()
  } else if (name === 'message') {
    /** @type {Message} */
    const message = data.message
    const known = conversations.get(message.conversationId)
    if (!known) return void loadConversations().catch(() => {})
    upsert({ ...known, updatedAt: Math.max(known.updatedAt, message.createdAt), lastMessage: message })
    renderList()
    if (message.conversationId !== openId) return
    const newest = messages[messages.length - 1]
    if (newest && message.seq > newest.seq + 1) return void catchUp().catch(() => {})
    if (message.author.role === 'visitor') ui.typing.hidden = true
    merge([message])
    renderThread()
  } else if (name === 'typing') {
    if (data.conversationId === openId && data.author.role === 'visitor') {
      const open = conversations.get(data.conversationId)
      ui.typing.textContent = `${open ? visitorName(open) : 'Visitor'} is typing…`
      ui.typing.hidden = !data.typing
    }
  } else if (name === 'reset') {
    // Events were missed for good: reload what is shown.
    void loadConversations().catch(() => {})
    if (openId !== null) void openConversation(openId).catch(() => {})
  }
}

/** @param {'connecting' | 'online' | 'reconnecting' | 'unauthorized'} status */
function setConnection(status) {
  ui.connection.dataset.status = status
  ui.connection.textContent = status === 'unauthorized' ? `agent key "${key}" refused` : status
}

/**
 * Read `/v1/agent/events` with streaming fetch (it can send the Authorization header, which
 * EventSource cannot), and reconnect with Last-Event-ID after a drop.
 */
async function listen() {
  let attempt = 0
  for (;;) {
    try {
      const headers = { ...auth, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) }
      const response = await fetch('/v1/agent/events', { headers, cache: 'no-store' })
      if (response.status === 401) return setConnection('unauthorized')
      if (!response.ok || !response.body) throw new Error(`events answered ${response.status}`)
      setConnection('online')
      attempt = 0
      // Without a cursor nothing is replayed: load the current state once the stream is open.
      if (!lastEventId) void loadConversations().catch((error) => showError(String(error.message)))
      await readEvents(response.body)
    } catch {
      // Dropped; fall through to reconnect.
    }
    setConnection('reconnecting')
    attempt++
    const delay = Math.min(10_000, 1000 * 2 ** Math.min(attempt - 1, 4))
    await new Promise((resolve) => setTimeout(resolve, delay / 2 + Math.random() * (delay / 2)))
  }
}

/** @param {ReadableStream<Uint8Array>} body */
async function readEvents(body) {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  let event = ''
  let data = ''
  let id = lastEventId
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    buffer += decoder.decode(value, { stream: true })
    const lines = buffer.split(/\r\n|\r|\n/)
    buffer = lines.pop() ?? ''
    for (const line of lines) {
      if (line === '') {
        lastEventId = id
        if (data !== '') {
          try {
            onEvent(event || 'message', JSON.parse(data))
          } catch {}
        }
        event = ''
        data = ''
        continue
      }
      const colon = line.indexOf(':')
      if (colon === 0) continue
      const field = colon === -1 ? line : line.slice(0, colon)
      const text = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '')
      if (field === 'event') event = text
      else if (field === 'data') data += data === '' ? text : `\n${text}`
      else if (field === 'id') id = text
    }
  }
}

ui.form.addEventListener('submit', (event) => {
  event.preventDefault()
  void sendReply()
})
ui.reply.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault()
    void sendReply()
  }
})
ui.reply.addEventListener('input', () => {
  setTyping(ui.reply.value.trim() !== '')
  clearTimeout(typingTimer)
  typingTimer = setTimeout(() => setTyping(false), 3000)
})
ui.close.addEventListener('click', () => {
  if (openId === null) return
  api(`/v1/agent/conversations/${encodeURIComponent(openId)}/close`, { method: 'POST' })
    .then((conversation) => {
      upsert(conversation)
      renderList()
      renderThread()
    })
    .catch((error) => showError(`Not closed: ${error.message}`))
})
ui.older.addEventListener('click', () => void loadOlder().catch((error) => showError(error.message)))

void listen()
