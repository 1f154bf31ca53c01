/**
 * The search view's stylesheet: adopted by the widget's shadow root while the view is shown, so it
 * loads with the view and not with the widget. Colours and sizes follow the widget's (`styles.ts`).
 * `.search~*` hides the list or thread after the view until it closes, keeping their state.
 */
export const css = `
.search{flex:1;min-height:0;display:flex;flex-direction:column}
.search~*{display:none}
.find{padding:8px;border-bottom:1px solid #e5e5ea}
.find input{width:100%;padding:8px 12px;border:1px solid #d1d1d6;border-radius:19px;font:inherit;color:inherit;background:#fff}
.count{margin:0;padding:4px 16px 0;min-height:1.4em;font-size:12px;color:#6b6b76}
.hits{flex:1;overflow-y:auto;overscroll-behavior:contain;display:flex;flex-direction:column;padding-bottom:8px}
.hits ul{margin:0;padding:0;list-style:none}
.gh{padding:10px 16px 2px;font-size:12px;font-weight:600;color:#6b6b76;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.hit{display:flex;flex-direction:column;padding:6px 16px;cursor:pointer}
.hit:hover{background:#f6f6f8}
.hit[aria-selected=true]{background:#eef1fd;outline:2px solid var(--b);outline-offset:-2px}
.hit .meta{margin:0 0 2px}
.hit b{font-weight:600;color:#1c1c1e}
.snip{overflow-wrap:anywhere}
mark{background:#ffe27a;color:inherit;border-radius:2px}
.tag{margin-left:6px;padding:0 6px;border-radius:8px;background:#ececf1}
.search>.meta{margin:0;padding:6px 16px;border-top:1px solid #e5e5ea}
`
