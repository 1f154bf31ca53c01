/**
 * Give the widget's shadow root one more stylesheet while a lazily loaded view (the pane, the search
 * view) shows; returns how to take it off. The same two ways as `mount()`; not shared with it, so
 * that only the lazily loaded code carries this.
 */
export function adopt(root: ShadowRoot, css: string): () => void {
  const doc = root.ownerDocument
  // A constructed sheet is adoptable only in the realm that made it (an iframe's differs from ours).
  const Sheet = doc.defaultView?.CSSStyleSheet
  if (Sheet?.prototype.replaceSync && 'adoptedStyleSheets' in root) {
    const sheet = new Sheet()
    sheet.replaceSync(css)
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet]
    return () => {
      root.adoptedStyleSheets = root.adoptedStyleSheets.filter((other) => other !== sheet)
    }
  }
  // Before constructable stylesheets (Safari < 16.4): a <style> after the widget's, outside the
  // element the widget renders into.
  const style = doc.createElement('style')
  style.textContent = css
  root.insertBefore(style, root.lastChild)
  return () => style.remove()
}
