import { chromium, type Browser } from 'playwright-core'

/** Flags that let Debian's Chromium run headless as root on a machine with no outside network, and tests on loopback. */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Pages a test fulfils with `page.route` have no address of their own, so Chromium's local network
  // checks take them for public pages and block their WebSocket to the server on 127.0.0.1 (the
  // Trusted Types test never got the agent's reply on its first try). Real pages come from a server.
  '--disable-features=LocalNetworkAccessChecks'
]

/** Launch real Chromium: `CHROMIUM_PATH`, or Debian's `/usr/bin/chromium`. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ARGS })
}
