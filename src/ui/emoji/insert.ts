import { replaceRange } from './shortcodes.js'

/**
 * Put `emoji` into the composer's field in place of `range` (default: the selection, so at the
 * caret), the caret after it, as typing would, with an `input` event. With `focus`, the field takes
 * focus and the browser's editing command inserts, so that undo takes it back; without (the picker
 * stays open for another emoji), the value is set where focus is not.
 *
 * @example
 * insertEmoji(field, '🎉') // 'See you |' → 'See you 🎉|'
 */
export function insertEmoji(field: HTMLTextAreaElement, emoji: string, range = { start: field.selectionStart, end: field.selectionEnd }, focus = true): void {
  if (focus) {
    field.focus()
    field.setSelectionRange(range.start, range.end)
    try {
      if (field.ownerDocument.execCommand('insertText', false, emoji)) return
    } catch {
      // Not there (a test DOM): set the value instead.
    }
  }
  const { text, caret } = replaceRange(field.value, range, emoji)
  field.value = text
  field.setSelectionRange(caret, caret)
  field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: emoji }))
}
