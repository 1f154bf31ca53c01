import type { RefObject } from 'preact'
import { useLayoutEffect } from 'preact/hooks'
import { adopt } from '../sheet.js'

/**
 * The media module's stylesheet: the viewer, the files in the composer and where they are dropped,
 * and the visitor's files while they upload. Colours and sizes are the pane's tokens (`tokens.ts`);
 * the viewer shows photos on black in either scheme.
 */
export const css = `
.viewer{max-width:min(96vw,1200px);max-height:96vh;padding:0;border:0;border-radius:12px;background:var(--_viewer);color:var(--_on-viewer);font:var(--_font-size)/1.4 var(--_font);overflow:hidden}
.viewer::backdrop{background:#000c}
.vbar{display:flex;align-items:center;gap:12px;padding:8px;padding-inline-start:16px}
.vbar .name{flex:1;min-width:0;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.vbar a{color:inherit}
.vbar .x{color:inherit}
.vbar :focus-visible{outline-color:currentColor}
.viewer img{display:block;width:auto;max-width:100%;height:auto;max-height:calc(96vh - 52px);margin:auto;border-radius:0;object-fit:contain}
.previews,.outgoing{display:flex;flex-direction:column;gap:6px;margin:0;padding:0;list-style:none}
.previews{max-height:132px;overflow-y:auto;padding:8px 8px 0}
.previews li,.outgoing li{display:grid;grid-template-columns:40px minmax(0,1fr) auto;align-items:center;gap:2px 8px}
.thumb{width:40px;height:40px;border-radius:6px;object-fit:cover;display:grid;place-items:center;background:color-mix(in srgb,currentColor 8%,transparent);font-size:10px;font-weight:600}
.previews .name,.outgoing .name{overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.previews .meta,.outgoing .meta{grid-column:2;margin:0}
.previews li>button,.outgoing li>button{grid-row:1/3;grid-column:3;padding:4px 8px;text-decoration:underline;color:inherit}
.outgoing{margin-block-start:6px;padding:8px 12px;border-radius:var(--_radius);background:var(--_bubble-visitor);color:var(--_on-bubble-visitor);white-space:normal}
.outgoing .meta{color:inherit}
.outgoing progress{grid-column:2;width:100%;height:6px;accent-color:currentColor}
.outgoing li{grid-template-rows:auto auto auto}
.outgoing .thumb{grid-row:1/4}
.drop{position:absolute;inset:0;z-index:1;display:grid;place-items:center;margin:8px;border:2px dashed var(--_accent);border-radius:12px;background:color-mix(in srgb,var(--_surface) 95%,transparent);color:var(--_accent);font-weight:600}
.drop *{pointer-events:none}
@media (forced-colors:active){.viewer,.outgoing{border:1px solid}}
`

/** The roots that already have the stylesheet: it stays once adopted, as the module stays loaded. */
const styled = new WeakSet<Node>()

/** Give the media module's stylesheet to the shadow root `element` renders in, before it is painted. */
export function useMediaStyles(element: RefObject<Element | null>): void {
  useLayoutEffect(() => {
    const root = element.current!.getRootNode() as ShadowRoot
    if (styled.has(root)) return
    styled.add(root)
    adopt(root, css)
  }, [])
}
