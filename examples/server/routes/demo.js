// @ts-check
import { badRequest } from '../http.js'
import { signIdentityToken } from '../identity.js'

/** @typedef {import('../router.js').Route} Route */

/** How long a demo identity token is valid. */
const DEMO_TOKEN_SECONDS = 60 * 60

/** The made-up customers of the demo shop. `id` is what the shop's own user database would call them. */
export const DEMO_USERS = {
  alice: { id: 'demo-alice', name: 'Alice Martin', email: 'alice@example.com' },
  bob: { id: 'demo-bob', name: 'Bob Okafor', email: 'bob@example.com' }
}

/**
 * `GET /demo/identity?user=alice|bob`: stands in for the site's backend, which signs an identity
 * token for the user who is logged in to the site. Anyone may ask for these, so it exists only when
 * the server is started with `demoIdentity: true`.
 *
 * @param {{ identitySecret: string, now?: () => number }} context
 * @returns {Route[]}
 */
export function demoRoutes({ identitySecret, now = Date.now }) {
  return [
    {
      method: 'GET',
      path: '/demo/identity',
      api: 'page',
      async handle(request) {
        const name = request.query.get('user') ?? ''
        if (!Object.hasOwn(DEMO_USERS, name)) throw badRequest('"user" must be "alice" or "bob"')
        const user = DEMO_USERS[/** @type {keyof typeof DEMO_USERS} */ (name)]
        const iat = Math.floor(now() / 1000)
        const token = await signIdentityToken({ sub: user.id, name: user.name, email: user.email, iat, exp: iat + DEMO_TOKEN_SECONDS }, identitySecret)
        return { status: 200, body: { ...user, token } }
      }
    }
  ]
}
