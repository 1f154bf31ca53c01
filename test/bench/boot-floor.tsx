// The floor `npm run bench -- boot` measures Confab's loader against: the least a chat launcher built
// from Confab's own stack does on every page view. preact draws a launcher button in a shadow root
// (with Confab's launcher stylesheet), nanostores holds whether it is open, idb-keyval reads the
// device's session from IndexedDB, and ky is the HTTP client a click would use.
import { createStore, get } from 'idb-keyval'
import ky from 'ky'
import { atom } from 'nanostores'
import { render } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { launcherCss } from '../../src/ui/styles.js'

const script = document.currentScript as HTMLScriptElement
const api = ky.create({ prefixUrl: script.dataset.url, timeout: 10_000 })
const $open = atom(false)
const $session = atom<unknown>(undefined)

function Launcher() {
  const [open, setOpen] = useState($open.get())
  useEffect(() => $open.listen(setOpen), [])
  return (
    <button
      class="launcher"
      data-testid="launcher"
      aria-expanded={open}
      aria-label="Chat with us"
      onClick={() => {
        $open.set(!open)
        void api.get('health').json()
      }}
    >
      <svg width="26" height="26" viewBox="0 0 24 24" fill="currentColor" aria-hidden="true">
        <path d="M6 4h12a2 2 0 012 2v10a2 2 0 01-2 2H8l-4 4V6a2 2 0 012-2z" />
      </svg>
    </button>
  )
}

const host = document.createElement('div')
host.setAttribute('data-confab', '')
const root = host.attachShadow({ mode: 'open' })
const sheet = new CSSStyleSheet()
sheet.replaceSync(launcherCss)
root.adoptedStyleSheets = [sheet]
document.body.append(host)
render(<Launcher />, root)
void get('session', createStore('floor-session', 'keyval')).then((session) => $session.set(session))
