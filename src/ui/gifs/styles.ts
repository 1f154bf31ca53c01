/**
 * The GIF picker's stylesheet: adopted by the widget's shadow root while the picker shows, so it
 * loads with the picker and not with the widget. Where the panel sits (`.gifs` above the composer)
 * is the pane's (`pane/styles.ts`), so that a picker that failed to load shows there too. Colours
 * and sizes are the pane's tokens (`tokens.ts`).
 */
export const css = `
.gifs{display:flex;flex-direction:column;height:min(340px,60vh)}
.gifs-top{display:flex;gap:6px;padding:8px}
.gifs-top input{flex:1;min-width:0;padding:6px 12px;border:1px solid var(--_border);border-radius:17px;font:inherit;color:inherit;background:var(--_surface)}
.gifs .x{width:32px;height:32px;flex:none;border-radius:8px;display:grid;place-items:center;color:var(--_text)}
.gifs-said{margin:0;padding:0 12px;min-height:1.4em;font-size:12px;color:var(--_muted)}
.gifs-said .cta{flex:none;padding:2px 12px;font-size:12px}
.gif-grid{flex:1;min-height:0;overflow-y:auto;overscroll-behavior:contain;display:flex;align-items:flex-start;gap:6px;padding:4px 8px 8px}
.gif-col{flex:1;min-width:0;display:flex;flex-direction:column;gap:6px}
.gif-col button{display:block;padding:0;border-radius:6px;overflow:hidden;background:var(--_subtle)}
.gif-col img{display:block;width:100%;height:auto}
.gifs-by{margin:0;padding:4px 12px 6px;font-size:11px;color:var(--_muted);text-align:end;border-block-start:1px solid var(--_divider)}
`
