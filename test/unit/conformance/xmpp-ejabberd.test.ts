import { describe, it } from 'vitest'
import { runTransportConformance } from '../../../src/testing/index.js'
import { useXmppServer, xmppHarness } from '../../support/xmpp/harness.js'

// The XMPP transport against a real ejabberd started on 127.0.0.1 (fails, not skips, without it).
const env = useXmppServer('ejabberd')

runTransportConformance({ describe, it }, xmppHarness(env, 'xmpp on ejabberd, anonymous visitors', 'anonymous'))
runTransportConformance({ describe, it }, xmppHarness(env, 'xmpp on ejabberd, guest accounts', 'account'))
