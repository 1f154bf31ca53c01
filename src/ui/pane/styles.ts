import { richCss } from './rich-styles.js'

/**
 * The pane's stylesheet: adopted by the widget's shadow root while the pane shows, so it loads with
 * the pane's code and not with the widget. Comes after the widget's own (`styles.ts`), whose
 * custom properties (`--b`, `--o`) and rules for the frame (`.pane`, `.empty`, `.cta`) it builds on.
 */
export const css = `
.head{display:flex;align-items:center;gap:8px;padding:12px 12px 12px 16px;background:var(--b);color:var(--o)}
.head :focus-visible{outline-color:var(--o)}
.titles{flex:1;min-width:0}
h2{display:inline;margin:0 8px 0 0;font-size:16px}
.mode{font-size:12px;padding:0 6px;border:1px solid;border-radius:9px;opacity:.9}
.status{margin:0;font-size:12px;opacity:.9}
.x{width:32px;height:32px;border-radius:8px;display:grid;place-items:center}
.x:hover{background:#fff3}
.log{flex:1;overflow-y:auto;overscroll-behavior:contain;overflow-anchor:none;padding:16px;display:flex;flex-direction:column;gap:10px}
.spacer{flex:none}
.msg{display:flex;flex-direction:column;align-items:flex-start;max-width:80%}
.own{align-self:flex-end;align-items:flex-end}
.system{align-self:center;align-items:center;max-width:90%;color:#6b6b76;font-size:12px}
.bubble{padding:8px 12px;border-radius:16px;background:#f0f0f3;white-space:pre-wrap;overflow-wrap:anywhere}
.own .bubble{background:var(--b);color:var(--o)}
.system .bubble{background:none;padding:0}
.failed .bubble{opacity:.6}
.more{position:relative;display:grid;place-items:center}
.more>*{position:absolute;bottom:8px;box-shadow:0 2px 8px #0003}
[data-highlight] .bubble{outline:2px solid #fb0}
.who,.meta{font-size:11px;color:#6b6b76;margin:2px 4px}
.failed .meta{color:#c62828}
.meta button{padding:0;text-decoration:underline}
.typing{margin:0 16px 4px;font-size:12px;color:#6b6b76;animation:pulse 1s ease-in-out infinite alternate}
@keyframes pulse{to{opacity:.4}}
.composer{display:flex;align-items:flex-end;gap:8px;padding:8px;border-top:1px solid #e5e5ea}
textarea{flex:1;min-height:38px;max-height:120px;field-sizing:content;resize:none;padding:8px 12px;border:1px solid #d1d1d6;border-radius:19px;font:inherit;color:inherit;background:#fff}
.send{width:38px;height:38px;flex:none;border-radius:50%;display:grid;place-items:center;background:var(--b);color:var(--o)}
.gifw{display:contents}
.gifb{height:38px;flex:none;padding:0 8px;border-radius:19px;font-size:12px;font-weight:700;color:#3a3a44;background:#ececf1}
.gifb:disabled{opacity:.5;cursor:default}
.composer{position:relative}
.gifs{position:absolute;left:8px;right:8px;bottom:calc(100% + 4px);z-index:1;background:#fff;border:1px solid #d1d1d6;border-radius:12px;box-shadow:0 4px 16px #0002}
.gifs[role=alert]{padding:8px 12px}
.bar{margin:0;padding:6px;border-bottom:1px solid #e5e5ea;text-align:center;font-size:12px;color:#55555e}
.bar *{margin-left:8px}
.list{margin:0;list-style:none}
.conv{width:100%;display:grid;grid-template-columns:1fr auto;gap:2px 8px;text-align:left}
.conv>*{overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.conv .badge{position:static}
[dir=rtl] .flip{transform:scaleX(-1)}
${richCss}`
