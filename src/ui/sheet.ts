/** Stylesheets made, by document and text: each is parsed once, and a view drawn again adopts the same one. */
const made = new WeakMap<Document, Map<string, CSSStyleSheet>>()

/**
 * The constructed stylesheet of `css` for `doc` (a constructed sheet is adoptable only in the
 * document that made it), parsed on the first call. Calling it early parses the sheet before a view
 * needs it.
 *
 * @example
 * sheetFor(document, css) // as the pane's code loads: drawing the pane then only adopts it
 */
export function sheetFor(doc: Document, css: string): CSSStyleSheet {
  let sheets = made.get(doc)
  if (!sheets) made.set(doc, (sheets = new Map()))
  let sheet = sheets.get(css)
  if (!sheet) {
    sheet = new doc.defaultView!.CSSStyleSheet()
    sheet.replaceSync(css)
    sheets.set(css, sheet)
  }
  return sheet
}

/**
 * Give the widget's shadow root one more stylesheet while a lazily loaded view (the pane, the search
 * view) shows; returns how to take it off. Constructed, as `mount()` makes the widget's own: not
 * shared with it, so that only the lazily loaded code carries this.
 */
export function adopt(root: ShadowRoot, css: string): () => void {
  const sheet = sheetFor(root.ownerDocument, css)
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet]
  return () => {
    // One adoption off: two views of the same code (two composers' completions) share the sheet.
    const sheets = [...root.adoptedStyleSheets]
    const at = sheets.lastIndexOf(sheet)
    if (at >= 0) sheets.splice(at, 1)
    root.adoptedStyleSheets = sheets
  }
}
