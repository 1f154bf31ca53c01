import { afterEach, describe, expect, it } from 'vitest'

const touched: string[] = []

afterEach(() => {
  delete (globalThis as Record<string, unknown>).window
  delete (globalThis as Record<string, unknown>).document
})

describe('http transport: server-side rendering', () => {
  it('touches neither window nor document when imported and created', async () => {
    for (const name of ['window', 'document']) {
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get: () => {
          touched.push(name)
          return undefined
        }
      })
    }
    const { createHttpTransport } = await import('../../../src/transports/http/index.js')
    const transport = createHttpTransport({ url: 'http://127.0.0.1:9999' })
    transport.close()
    expect(touched).toEqual([])
  })
})
