import { describe, it } from 'vitest'
import { runTransportConformance } from '../../../src/testing/index.js'
import { useXmppServer, xmppHarness } from '../../support/xmpp/harness.js'

// The XMPP transport against a real Prosody started on 127.0.0.1 (fails, not skips, without it).
const env = useXmppServer('prosody')

runTransportConformance({ describe, it }, xmppHarness(env, 'xmpp on Prosody, anonymous visitors', 'anonymous'))
runTransportConformance({ describe, it }, xmppHarness(env, 'xmpp on Prosody, guest accounts', 'account'))
