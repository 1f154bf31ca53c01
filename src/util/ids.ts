/**
 * A random id for a message or conversation the client creates. `crypto.randomUUID` exists in every
 * browser Confab supports and in Node 19+, but only in secure contexts: plain-http pages on a LAN
 * name lack it, so fall back to `getRandomValues`, which has no such restriction.
 */
export function randomId(crypto: Crypto | undefined = globalThis.crypto): string {
  if (crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const bytes = new Uint8Array(16)
  if (crypto) crypto.getRandomValues(bytes)
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256)
  bytes[6] = (bytes[6]! & 0x0f) | 0x40
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
