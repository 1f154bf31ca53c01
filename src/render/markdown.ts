import { safeUrl } from './url.js'

/**
 * Chat markdown, parsed by our own code rather than a library: the parsers small enough for the
 * pane's chunk recursed without bound or went quadratic on hostile input (10,000 nested brackets,
 * quotes or list markers), and those that held cost 29–42 KB gzip, several times the whole pane.
 * This one reads each line once, bounds how deep blocks and inline marks nest (past that, the
 * marks stay text) and finds closing backticks and parentheses from indexes built once per
 * paragraph, so its time grows with the length of the text alone.
 *
 * The subset, as people write chat: `**bold**` / `__bold__`, `*italic*` / `_italic_`,
 * `~~strikethrough~~`, `` `code` ``, fenced code blocks, `-` / `*` / `+` / `1.` lists (nested by
 * indenting), `>` quotes, `[links](https://…)`, bare `https://` and `www.` URLs, and every single
 * new line a line break. No raw HTML (shown as typed), headings, tables, reference links or images
 * (`![alt](url)` is a link). A line that does not continue a quote or a list item ends it.
 */

/** Marked-up text inside a paragraph: a string, or an element named as its HTML tag. */
export type Inline =
  | string
  | { type: 'strong' | 'em' | 's'; children: Inline[] }
  /** `href` has passed {@link safeUrl}. */
  | { type: 'a'; href: string; children: Inline[] }
  | { type: 'code'; text: string }
  | { type: 'br' }

/** A block of a message, named as its HTML tag. */
export type Block =
  | { type: 'p'; children: Inline[] }
  | { type: 'pre'; text: string }
  | { type: 'blockquote'; children: Block[] }
  /** `marker`: the bullet (`-`, `*`, `+`) or the number's delimiter (`.`, `)`); a different one starts another list. */
  | { type: 'ul' | 'ol'; start: number; marker: string; items: Block[][] }

/** Quotes and list items inside one another, the message itself counted; deeper markers stay text. */
export const MAX_BLOCK_DEPTH = 8
/** Open emphasis marks and link brackets inside one another; deeper marks stay text. */
export const MAX_INLINE_DEPTH = 6

/** A link's target is a URL, and no longer than a URL may be (`LIMITS.url`). */
const MAX_URL = 2048

/** A container being read: the message, a quote or a list item (its marker's and its content's columns). */
interface Container {
  blocks: Block[]
  quote: boolean
  indent: number
  content: number
}

/** The paragraph or code block being read, always in the innermost open container. */
type Leaf =
  | { type: 'p'; lines: string[]; into: Block[] }
  | { type: 'pre'; block: { text: string }; lines: string[]; fence: string; indent: number }

const LIST_MARKER = /([-*+]|(\d{1,9})[.)]) +(?=\S)/y
const MARKER_START = /[-*+\d]/
const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/
const LEADING_TAB = /^ *\t/

/** The column of the first character after `from` that is not a space. */
const skipSpaces = (line: string, from: number) => {
  let at = from
  while (line[at] === ' ') at++
  return at
}

/**
 * Parse a message's text into blocks. Never throws, and never nests deeper than
 * {@link MAX_BLOCK_DEPTH} blocks and {@link MAX_INLINE_DEPTH} inline marks.
 *
 * @example
 * parseMarkdown('Hi **Ada**\n- one') // [{ type: 'p', children: ['Hi ', { type: 'strong', children: ['Ada'] }] },
 *                                     //  { type: 'ul', start: 1, marker: '-', items: [[{ type: 'p', children: ['one'] }]] }]
 */
export function parseMarkdown(text: string): Block[] {
  const open: Container[] = [{ blocks: [], quote: false, indent: -1, content: 0 }]
  let leaf: Leaf | undefined
  const innermost = () => open[open.length - 1]!
  const closeLeaf = () => {
    if (leaf?.type === 'p') leaf.into.push({ type: 'p', children: parseInline(leaf.lines.join('\n')) })
    else if (leaf) leaf.block.text = leaf.lines.join('\n')
    leaf = undefined
  }

  for (const raw of text.split(/\r\n?|\n/)) {
    // Tabs in the indentation count as four spaces; elsewhere they are text.
    const line = LEADING_TAB.test(raw) ? raw.replace(/^[ \t]+/, (indent) => indent.replace(/\t/g, '    ')) : raw
    let at = 0
    let depth = 1
    // Which open containers this line continues: a quote needs its `>`, a list item an indent
    // past its marker (or a blank line).
    for (; depth < open.length; depth++) {
      const container = open[depth]!
      const start = skipSpaces(line, at)
      if (container.quote) {
        if (line[start] !== '>') break
        at = line[start + 1] === ' ' ? start + 2 : start + 1
      } else if (start < line.length) {
        if (start <= container.indent) break
        at = Math.min(start, container.content)
      }
    }
    if (depth < open.length) {
      closeLeaf()
      open.length = depth
    }
    // Inside a code block, markers are code; elsewhere new quotes and list items may start.
    while (leaf?.type !== 'pre' && open.length < MAX_BLOCK_DEPTH) {
      const start = skipSpaces(line, at)
      const quote = line[start] === '>'
      let marker: RegExpExecArray | null = null
      if (!quote && MARKER_START.test(line[start] ?? '')) {
        LIST_MARKER.lastIndex = start
        marker = LIST_MARKER.exec(line)
      }
      // A numbered line interrupts a paragraph only as "1.": "Call me at\n2. …" stays a sentence.
      if (!quote && (!marker || (leaf && marker[2] !== undefined && marker[2] !== '1'))) break
      closeLeaf()
      const parent = innermost().blocks
      if (!marker) {
        const block: Block = { type: 'blockquote', children: [] }
        parent.push(block)
        open.push({ blocks: block.children, quote: true, indent: start, content: start })
        at = line[start + 1] === ' ' ? start + 2 : start + 1
        continue
      }
      const [whole, sign, number] = marker
      const type = number === undefined ? 'ul' : 'ol'
      const delimiter = sign!.slice(-1)
      const last = parent[parent.length - 1]
      let list = last && last.type === type && last.marker === delimiter ? last : undefined
      if (!list) parent.push((list = { type, start: number === undefined ? 1 : Number(number), marker: delimiter, items: [] }))
      const item: Block[] = []
      list.items.push(item)
      open.push({ blocks: item, quote: false, indent: start, content: start + whole.length })
      at = start + whole.length
    }
    const rest = at ? line.slice(at) : line
    const first = rest[skipSpaces(rest, 0)]
    const fence = first === '`' || first === '~' ? FENCE.exec(rest) : null
    if (leaf?.type === 'pre') {
      if (fence && fence[2]!.startsWith(leaf.fence) && !fence[3]!.trim()) closeLeaf()
      else leaf.lines.push(rest.slice(Math.min(leaf.indent, skipSpaces(rest, 0))))
      continue
    }
    const trimmed = rest.trim()
    if (!trimmed) closeLeaf()
    // A backtick fence's info string has no backtick: "```code```" on one line is inline code.
    else if (fence && !(fence[2]![0] === '`' && fence[3]!.includes('`'))) {
      closeLeaf()
      const block: Block = { type: 'pre', text: '' }
      innermost().blocks.push(block)
      leaf = { type: 'pre', block, lines: [], fence: fence[2]!, indent: fence[1]!.length }
    } else if (leaf) leaf.lines.push(trimmed)
    else leaf = { type: 'p', lines: [trimmed], into: innermost().blocks }
  }
  closeLeaf()
  return open[0]!.blocks
}

/** An open emphasis run (`*`, `_`, `~`, with `size` marks left) or link bracket (`[`, `![`). */
interface Opener {
  mark: string
  size: number
  children: Inline[]
  /** A bracket that may still become a link (a link inside it turns it off: links do not nest). */
  active: boolean
}

/** Where something worth a look starts: an escape, code, emphasis, a bracket, a line break or a URL. */
const NEXT = /[\\`*_~[\]\n]|!\[|https?:\/\/|www\./gi
const BARE_URL = /(?:https?:\/\/|www\.)[^\s<>]*/iy
/** Inside a bracket, a bare URL ends before `]`: `[https://a.example](https://a.example)` is one link. */
const BARE_URL_IN_LABEL = /(?:https?:\/\/|www\.)[^\s<>\]]*/iy
/** A bare URL starts a word: not after a letter, a digit or a URL's own punctuation. */
const IN_WORD = /[\p{L}\p{N}/:.@-]/u
/** Punctuation that ends a sentence rather than a URL. */
const URL_TRAILER = /[?!.,:;*_~'"]/
const isBracket = (opener: Opener) => opener.mark.endsWith('[')
const ESCAPABLE = /[!-/:-@[-`{-~]/
const SPACE = /\s/u
const PUNCTUATION = /[\p{P}\p{S}]/u

/**
 * Parse a paragraph's text into inline nodes (emphasis by CommonMark's flanking rules, `_` never
 * inside a word). Runs in time linear in the text's length.
 *
 * @example
 * parseInline('see [docs](https://x.example) or `npm i`')
 * // ['see ', { type: 'a', href: 'https://x.example/', children: ['docs'] }, ' or ', { type: 'code', text: 'npm i' }]
 */
export function parseInline(text: string): Inline[] {
  const stack: Opener[] = [{ mark: '', size: 0, children: [], active: false }]
  const add = (node: Inline, into = stack[stack.length - 1]!.children) => {
    const last = into.length - 1
    if (typeof node === 'string' && typeof into[last] === 'string') into[last] += node
    else if (node !== '') into.push(node)
  }
  // An opener that closes nothing: its marks become text, what it holds goes to the one below.
  const dissolve = (index: number) => {
    const [opener] = stack.splice(index, 1)
    const into = stack[index - 1]!.children
    add(opener!.mark.repeat(opener!.size), into)
    for (const child of opener!.children) add(child, into)
  }
  const closeAbove = (index: number) => {
    while (stack.length - 1 > index) dissolve(stack.length - 1)
  }
  const room = () => stack.length <= MAX_INLINE_DEPTH

  // Built on first use, once per paragraph: where each `(` closes, and where backtick runs start.
  let parens: Map<number, number> | undefined
  let ticks: Map<number, { at: number[]; next: number }> | undefined
  const closingParen = (from: number) => {
    if (!parens) {
      parens = new Map()
      const opened: number[] = []
      for (let i = 0; i < text.length; i++) {
        const c = text[i]!
        if (c === '(') opened.push(i)
        else if (c === ')' && opened.length) parens.set(opened.pop()!, i)
        // A link's target has no white space: parentheses do not pair across it.
        else if (SPACE.test(c)) opened.length = 0
      }
    }
    return parens.get(from)
  }
  const closingTicks = (size: number, from: number) => {
    if (!ticks) {
      ticks = new Map()
      for (const run of text.matchAll(/`+/g)) {
        const runs = ticks.get(run[0].length) ?? ticks.set(run[0].length, { at: [], next: 0 }).get(run[0].length)!
        runs.at.push(run.index)
      }
    }
    // Asked with an ever larger `from`: each size's cursor only moves forward.
    const runs = ticks.get(size)!
    while (runs.next < runs.at.length && runs.at[runs.next]! < from) runs.next++
    return runs.at[runs.next]
  }

  const emphasis = (mark: string, size: number, before: string, after: string) => {
    const spaceBefore = SPACE.test(before)
    const spaceAfter = SPACE.test(after)
    const punctuationBefore = PUNCTUATION.test(before)
    const punctuationAfter = PUNCTUATION.test(after)
    const leftFlanking = !spaceAfter && (!punctuationAfter || spaceBefore || punctuationBefore)
    const rightFlanking = !spaceBefore && (!punctuationBefore || spaceAfter || punctuationAfter)
    // `~~` only in pairs; `_` not inside a word (snake_case stays).
    const valid = mark !== '~' || size === 2
    const canOpen = valid && (mark === '_' ? leftFlanking && (!rightFlanking || punctuationBefore) : leftFlanking)
    const canClose = valid && (mark === '_' ? rightFlanking && (!leftFlanking || punctuationAfter) : rightFlanking)
    let remaining = size
    while (canClose && remaining > 0) {
      // The nearest opener of the same mark; a bracket in between keeps its content to itself.
      let index = stack.length - 1
      while (index > 0 && stack[index]!.mark !== mark && !isBracket(stack[index]!)) index--
      const opener = stack[index]!
      if (index === 0 || opener.mark !== mark) break
      closeAbove(index)
      const use = opener.size > 1 && remaining > 1 ? 2 : 1
      const node: Inline = { type: mark === '~' ? 's' : use === 2 ? 'strong' : 'em', children: opener.children }
      opener.size -= use
      remaining -= use
      if (opener.size > 0) opener.children = [node]
      else {
        stack.pop()
        add(node)
      }
    }
    if (remaining > 0 && canOpen && room()) {
      // One run opens at most a strong and an em: `******` does not nest six deep.
      add(mark.repeat(Math.max(0, remaining - 3)))
      stack.push({ mark, size: Math.min(remaining, 3), children: [], active: false })
    } else add(mark.repeat(remaining))
  }

  const link = (at: number): number => {
    let index = stack.length - 1
    while (index > 0 && !isBracket(stack[index]!)) index--
    if (index === 0) {
      add(']')
      return at + 1
    }
    const opener = stack[index]!
    const end = text[at + 1] === '(' ? closingParen(at + 1) : undefined
    const href = end !== undefined && end - at - 2 <= MAX_URL ? safeUrl(text.slice(at + 2, end)) : undefined
    if (!href || !opener.active) {
      dissolve(index)
      add(']')
      return at + 1
    }
    closeAbove(index)
    stack.pop()
    const label = unlink(opener.children)
    add({ type: 'a', href, children: label.length ? label : [href] })
    for (const other of stack) other.active = false
    return end! + 1
  }

  const bareUrl = (at: number): number => {
    const pattern = stack.some(isBracket) ? BARE_URL_IN_LABEL : BARE_URL
    pattern.lastIndex = at
    const found = IN_WORD.test(text[at - 1] ?? ' ') ? null : pattern.exec(text)
    if (!found) {
      add(text[at]!)
      return at + 1
    }
    const url = trimUrl(found[0])
    const prefix = /^www\./i.test(url) ? 4 : url.indexOf('//') + 2
    const href = url.length > prefix && url.length <= MAX_URL ? safeUrl(prefix === 4 ? `https://${url}` : url) : undefined
    if (!href) {
      // Taken whole, so that a long run without spaces is read once, not once per "https://" in it.
      add(found[0])
      return at + found[0].length
    }
    add({ type: 'a', href, children: [url] })
    return at + url.length
  }

  let i = 0
  while (i < text.length) {
    NEXT.lastIndex = i
    const found = NEXT.exec(text)
    const at = found ? found.index : text.length
    add(text.slice(i, at))
    if (!found) break
    const c = text[at]!
    if (c === '\\') {
      const next = text[at + 1] ?? ''
      // A backslash before a line end is a line break, as the new line alone already is.
      if (next !== '\n') add(ESCAPABLE.test(next) ? next : '\\')
      i = ESCAPABLE.test(next) ? at + 2 : at + 1
    } else if (c === '`') {
      let end = at
      while (text[end] === '`') end++
      const close = closingTicks(end - at, end)
      if (close === undefined) {
        add(text.slice(at, end))
        i = end
      } else {
        let code = text.slice(end, close).replace(/\n/g, ' ')
        if (code.length > 2 && code[0] === ' ' && code[code.length - 1] === ' ' && code.trim()) code = code.slice(1, -1)
        add({ type: 'code', text: code })
        i = close + end - at
      }
    } else if (c === '*' || c === '_' || c === '~') {
      let end = at
      while (text[end] === c) end++
      emphasis(c, end - at, text[at - 1] ?? ' ', text[end] ?? ' ')
      i = end
    } else if (c === '[' || c === '!') {
      const mark = c === '!' ? '![' : '['
      if (room()) stack.push({ mark, size: 1, children: [], active: true })
      else add(mark)
      i = at + mark.length
    } else if (c === ']') i = link(at)
    else if (c === '\n') {
      add({ type: 'br' })
      i = at + 1
    } else i = bareUrl(at)
  }
  closeAbove(0)
  return stack[0]!.children
}

/** A link's label without the links found in it (a bare URL as the text of a markdown link). */
function unlink(nodes: Inline[]): Inline[] {
  return nodes.flatMap((node) =>
    typeof node === 'string' || !('children' in node) ? [node] : node.type === 'a' ? unlink(node.children) : [{ ...node, children: unlink(node.children) }]
  )
}

/** A bare URL without the punctuation that ends the sentence around it, nor a `)` it did not open. */
function trimUrl(url: string): string {
  let unclosed = 0
  for (const c of url) unclosed += c === ')' ? 1 : c === '(' ? -1 : 0
  let end = url.length
  while (end > 0) {
    const c = url[end - 1]!
    if (c === ')' && unclosed > 0) unclosed--
    else if (!URL_TRAILER.test(c)) break
    end--
  }
  return url.slice(0, end)
}
