/**
 * The widget's stylesheet, scoped by its shadow root. Theming goes through custom properties set on
 * the host element (or by the page's own CSS on `[data-confab]`):
 * - `--confab-brand`: launcher, header, the visitor's bubbles, focus rings. Default `#2f5bea`.
 * - `--confab-on-brand`: text on the brand colour. Default `#fff`.
 * - `--confab-z`: stacking order. Default `2147483000`, above nearly every page.
 * `data-position="left"` on the host moves the launcher and pane to the left.
 */
export const css = `
:host{all:initial!important;--b:var(--confab-brand,#2f5bea);--o:var(--confab-on-brand,#fff);--r:20px;--l:auto}
:host([data-position=left]){--r:auto;--l:20px}
*{box-sizing:border-box}
[hidden]{display:none!important}
.launcher,.pane{position:fixed;right:var(--r);left:var(--l);z-index:var(--confab-z,2147483000);font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1c1c1e}
button{font:inherit;color:inherit;cursor:pointer;border:0;background:none}
:focus-visible{outline:2px solid var(--b);outline-offset:2px}
.launcher{bottom:20px;width:56px;height:56px;border-radius:50%;display:grid;place-items:center;background:var(--b);color:var(--o);box-shadow:0 4px 16px #0003;transition:transform .15s}
.launcher:hover{transform:scale(1.06)}
.badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#d93036;color:#fff;font-size:12px;font-weight:600;line-height:20px;text-align:center}
.pane{bottom:88px;width:370px;height:min(560px,calc(100% - 108px));display:flex;flex-direction:column;background:#fff;border-radius:16px;box-shadow:0 8px 32px #0003;overflow:hidden;animation:in .18s ease-out}
@keyframes in{from{opacity:0;transform:translateY(8px)}}
.head{display:flex;align-items:center;gap:8px;padding:12px 12px 12px 16px;background:var(--b);color:var(--o)}
.head :focus-visible{outline-color:var(--o)}
.titles{flex:1;min-width:0}
h2{display:inline;margin:0 8px 0 0;font-size:16px}
.mode{font-size:12px;padding:0 6px;border:1px solid;border-radius:9px;opacity:.9}
.status{margin:0;font-size:12px;opacity:.9}
.x{width:32px;height:32px;border-radius:8px;display:grid;place-items:center}
.x:hover{background:#fff3}
.log{flex:1;overflow-y:auto;overscroll-behavior:contain;padding:16px;display:flex;flex-direction:column;gap:10px}
.empty{margin:auto;max-width:240px;text-align:center;color:#6b6b76}
.msg{display:flex;flex-direction:column;align-items:flex-start;max-width:80%}
.own{align-self:flex-end;align-items:flex-end}
.system{align-self:center;align-items:center;max-width:90%;color:#6b6b76;font-size:12px}
.bubble{padding:8px 12px;border-radius:16px;background:#f0f0f3;white-space:pre-wrap;overflow-wrap:anywhere}
.own .bubble{background:var(--b);color:var(--o)}
.system .bubble{background:none;padding:0}
.failed .bubble{opacity:.6}
[data-highlight] .bubble{outline:2px solid #fb0}
.who,.meta{font-size:11px;color:#6b6b76;margin:2px 4px}
.failed .meta{color:#c62828}
.meta button{padding:0;text-decoration:underline}
.typing{margin:0 16px 4px;font-size:12px;color:#6b6b76;animation:pulse 1s ease-in-out infinite alternate}
@keyframes pulse{to{opacity:.4}}
.composer{display:flex;align-items:flex-end;gap:8px;padding:8px;border-top:1px solid #e5e5ea}
textarea{flex:1;min-height:38px;max-height:120px;field-sizing:content;resize:none;padding:8px 12px;border:1px solid #d1d1d6;border-radius:19px;font:inherit;color:inherit;background:#fff}
.send{width:38px;height:38px;flex:none;border-radius:50%;display:grid;place-items:center;background:var(--b);color:var(--o)}
.bar{margin:0;padding:6px;border-bottom:1px solid #e5e5ea;text-align:center;font-size:12px;color:#55555e}
.bar *{margin-left:8px}
.cta{flex:1;padding:8px 16px;border-radius:19px;background:var(--b);color:var(--o)}
.list{margin:0;list-style:none}
.conv{width:100%;display:grid;grid-template-columns:1fr auto;gap:2px 8px;text-align:left}
.conv>*{overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.conv .badge{position:static}
@media (max-width:480px){.pane{inset:0;width:auto;height:auto;border-radius:0}}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}
`
