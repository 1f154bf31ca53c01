// @ts-check
// Content as plain words: for the search index (which never stores markup), for notifications and
// previews, and for the text a visitor's answer carries as its fallback. Plain JavaScript with JSDoc
// types (see check.js), so the reference server and its demo bot use the same wording.

/** @typedef {import('../transports/types.js').MessageContent} MessageContent */
/** @typedef {import('../transports/types.js').FormResponsePart} FormResponsePart */

/**
 * What any rule of `plainText` needs to find: a character only markup uses, a line break (any that
 * `^` starts a line after), or a list or heading marker at the start ("Order #12" is plain). Text
 * without one comes out of the rules as it went in, trimmed.
 */
const MARKUP = /[`*_~[>\\\n\r\u2028\u2029]|^(?:[ \t]*(?:[-+]|\d{1,9}[.)])[ \t]| {0,3}#)/

/**
 * Markdown as the words a person reads: emphasis, code marks, quote and list markers, fences and
 * link targets gone; a link's label kept (a bare URL kept whole). Backslash escapes are undone.
 *
 * @param {string} markdown
 * @returns {string}
 * @example plainText('**Order** [#123](https://shop.example/o/123) is `shipped`') // 'Order #123 is shipped'
 */
export function plainText(markdown) {
  // Most messages hold no markup: the search index reads every message, so those skip the rules below.
  if (!MARKUP.test(markdown)) return markdown.trim()
  return (
    markdown
      // Fences: keep the code, drop the ``` lines and their language tag.
      .replace(/^ {0,3}(```|~~~)[^\n]*$/gm, '')
      // Block markers at the start of a line: quotes, list bullets and numbers, headings.
      .replace(/^[ \t]*(?:>[ \t]?)+/gm, '')
      .replace(/^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+/gm, '')
      .replace(/^ {0,3}#{1,6}[ \t]+/gm, '')
      // Images and links: their label.
      .replace(/!?\[([^\]\n]*)\]\([^)\n]*\)/g, '$1')
      // Emphasis, strikethrough and code marks around words; `_` only at word boundaries (snake_case stays).
      .replace(/(\*{1,3}|~~|`+)(?=\S)([^\n]*?\S)\1/g, '$2')
      .replace(/(?<![\p{L}\p{N}])(_{1,3})(?=\S)([^\n]*?\S)\1(?![\p{L}\p{N}])/gu, '$2')
      .replace(/\\([\\`*_{}[\]()#+\-.!~>|])/g, '$1')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  )
}

/**
 * Every word of a message a visitor may look for: its text without markup, card titles and
 * descriptions, button and quick-reply labels, file names, a location's name and address, form
 * answers and a rating's comment. Joined by new lines.
 *
 * @param {MessageContent} content
 * @returns {string}
 */
export function searchableText(content) {
  if (!content.parts && !content.actions && !content.replies) return plainText(content.text)
  /** @type {string[]} */
  const words = [plainText(content.text)]
  /** @param {{ label: string }[] | undefined} actions */
  const labels = (actions) => actions?.forEach((action) => words.push(action.label))
  labels(content.actions)
  labels(content.replies)
  for (const part of content.parts ?? []) {
    switch (part.type) {
      case 'cards':
        for (const card of part.items) {
          words.push(card.title, card.description ?? '')
          labels(card.actions)
        }
        break
      case 'image':
        words.push(part.alt ?? '', part.name ?? '')
        break
      case 'file':
        words.push(part.name)
        break
      case 'location':
        words.push(part.name ?? '', part.address ?? '')
        break
      case 'form-response':
        for (const answer of part.fields) words.push([answer.value].flat().join(', '))
        break
      case 'rating-response':
        words.push(part.comment ?? '')
        break
    }
  }
  // Each piece once (a card title is often in the text too), blanks left out.
  return [...new Set(words.map((word) => word.trim()).filter(Boolean))].join('\n')
}

/**
 * The text of a form response message, one `Label: answer` line per field.
 *
 * @param {FormResponsePart['fields']} fields
 * @returns {string}
 * @example formResponseText([{ name: 'order', label: 'Order number', value: '1234' }]) // 'Order number: 1234'
 */
export const formResponseText = (fields) =>
  fields.map(({ label, value }) => `${label}: ${[value].flat().join(', ') || '—'}`).join('\n')

/**
 * The text of a rating message: stars, the score in words, the comment on its own line.
 *
 * @param {number} score 1 to 5
 * @param {string} [comment]
 * @returns {string}
 * @example ratingText(4, 'Quick and kind') // '★★★★☆ 4 out of 5\nQuick and kind'
 */
export const ratingText = (score, comment) =>
  `${'★'.repeat(score)}${'☆'.repeat(5 - score)} ${score} out of 5${comment?.trim() ? `\n${comment.trim()}` : ''}`
