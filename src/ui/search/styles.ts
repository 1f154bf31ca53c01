/**
 * The search view's stylesheet: adopted by the widget's shadow root while the view is shown, so it
 * loads with the view and not with the widget. Colours and sizes are the pane's tokens (`tokens.ts`).
 * `.search~*` hides the list or thread after the view until it closes, keeping their state.
 */
export const css = `
.search{flex:1;min-height:0;display:flex;flex-direction:column}
.search~*{display:none}
.find{padding:8px;border-block-end:1px solid var(--_divider)}
.find input{width:100%;padding:8px 12px;border:1px solid var(--_border);border-radius:19px;font:inherit;color:inherit;background:var(--_surface)}
.count{margin:0;padding:4px 16px 0;min-height:1.4em;font-size:12px;color:var(--_muted)}
.hits{flex:1;overflow-y:auto;overscroll-behavior:contain;display:flex;flex-direction:column;padding-block-end:8px}
.hits ul{margin:0;padding:0;list-style:none}
.gh{padding:10px 16px 2px;font-size:12px;font-weight:600;color:var(--_muted);overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.hit{display:flex;flex-direction:column;padding:6px 16px;cursor:pointer}
.hit:hover{background:var(--_subtle)}
.hit[aria-selected=true]{background:var(--_selected);outline:2px solid var(--_focus);outline-offset:-2px}
.hit .meta{margin:0 0 2px}
.hit b{font-weight:600;color:var(--_text)}
.snip{overflow-wrap:anywhere}
mark{background:var(--_mark);color:var(--_on-mark);border-radius:2px}
.tag{margin-inline-start:6px;padding:0 6px;border-radius:8px;background:var(--_subtle)}
.search>.meta{margin:0;padding:6px 16px;border-block-start:1px solid var(--_divider)}
`
