/**
 * The emoji picker's and suggestions' stylesheet: adopted by the widget's shadow root when the
 * picker's code first shows something, so it loads with that code. Both float above the composer,
 * which the pane's own stylesheet positions for them (as for the GIF panel). Colours and sizes
 * are the pane's tokens (`tokens.ts`).
 */
export const css = `
.picker,.sugg{position:absolute;z-index:1;inset-inline:8px;inset-block-end:calc(100% + 4px);color:var(--_text);background:var(--_surface);border:1px solid var(--_divider);border-radius:12px;box-shadow:var(--_shadow-panel)}
.picker{display:flex;flex-direction:column;height:min(340px,60vh)}
.picker input{margin:8px 8px 4px;padding:6px 12px;border:1px solid var(--_border);border-radius:16px;font:inherit;color:inherit;background:var(--_surface)}
.tabs{display:flex;justify-content:space-between;padding:0 4px;border-block-end:1px solid var(--_divider)}
.tabs button{flex:1;padding:6px 0;font-size:18px;line-height:1;border-block-end:2px solid transparent;filter:grayscale(1)}
.tabs [aria-selected=true]{border-color:var(--_accent);filter:none}
.emo{flex:1;overflow-y:auto;overscroll-behavior:contain;padding:0 6px 6px}
.emo h3,.emo p{margin:0;padding:8px 4px 4px;font-size:12px;font-weight:600;color:var(--_muted)}
.emo [role=row]{display:grid;grid-template-columns:repeat(8,1fr)}
.emo [role=gridcell]{display:grid;place-items:center;height:36px;border-radius:8px;font-size:24px;line-height:1;cursor:pointer}
.emo [role=gridcell]:hover,.emo [role=gridcell]:focus{background:var(--_selected)}
.emo [role=gridcell]:focus-visible{outline:2px solid var(--_focus);outline-offset:-2px}
.sugg{margin:0;padding:4px;list-style:none}
.sugg li{padding:4px 10px;border-radius:8px;cursor:pointer;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.sugg li span{margin-inline-end:8px;font-size:18px}
.sugg [aria-selected=true]{background:var(--_selected);outline:2px solid var(--_focus);outline-offset:-2px}
@media (forced-colors:active){.tabs [aria-selected=true]{border-color:Highlight}}
`
