import { describe, expect, it } from 'vitest'
import { createMemoryBackend, createMemoryTransport } from '../../../src/transports/memory/index.js'

const request = (clientId = 'f1', size = 4) => ({ clientId, name: 'photo.png', size, type: 'image/png' })
const bytes = (size = 4) => new Blob([new Uint8Array(size)], { type: 'image/png' })

async function connected(options: Parameters<typeof createMemoryTransport>[0] = {}) {
  const transport = createMemoryTransport(options)
  const session = await transport.connect({})
  const { id } = await transport.createConversation({ mode: 'messaging' })
  return { transport, session, id, backend: transport.backend }
}

describe('memory transport: uploads', () => {
  it('declares uploads and announces its limits with the session', async () => {
    const { transport, session } = await connected({ uploadLimits: { maxBytes: 1024, types: ['image/*'] } })
    expect(transport.capabilities.uploads).toBe(true)
    expect(session.uploadLimits).toEqual({ maxBytes: 1024, types: ['image/*'] })
  })

  it('answers the same slot for the same file, and that it is stored once its bytes are in', async () => {
    const { transport, id } = await connected()
    const first = await transport.requestUpload!(id, request())
    expect(await transport.requestUpload!(id, request())).toEqual(first)
    expect(first.getUrl).toMatch(/^https:\/\//)
    await transport.putUpload!(first, bytes())
    expect(await transport.requestUpload!(id, request())).toEqual({ putUrl: expect.any(String), getUrl: first.getUrl, stored: true })
  })

  it('refuses a file too large with 413 and a type it does not take with 415, for good', async () => {
    const { transport, id } = await connected({ uploadLimits: { maxBytes: 3, types: ['image/*'] } })
    await expect(transport.requestUpload!(id, request('big', 4))).rejects.toMatchObject({ status: 413, retryable: false, message: '"photo.png" is larger than 3 bytes' })
    await expect(transport.requestUpload!(id, { ...request('exe', 1), type: 'application/x-msdownload' })).rejects.toMatchObject({ status: 415, retryable: false })
  })

  it('answers 410 to a put to an expired slot, and a fresh slot when asked again', async () => {
    const { transport, id, backend } = await connected()
    const slot = await transport.requestUpload!(id, request())
    backend.expireSlots()
    await expect(transport.putUpload!(slot, bytes())).rejects.toMatchObject({ status: 410 })
    const fresh = await transport.requestUpload!(id, request())
    expect(fresh.putUrl).not.toBe(slot.putUrl)
    await transport.putUpload!(fresh, bytes())
    expect(backend.uploads().map((u) => [u.puts, u.slots])).toEqual([[1, 2]])
  })

  it('reports progress a quarter at a time, and stores nothing of a put aborted midway', async () => {
    const { transport, id, backend } = await connected()
    const slot = await transport.requestUpload!(id, request('f1', 400))
    const progress: number[] = []
    await transport.putUpload!(slot, bytes(400), { onProgress: (loaded) => progress.push(loaded) })
    expect(progress).toEqual([100, 200, 300, 400])

    backend.slowPuts(20)
    const other = await transport.requestUpload!(id, request('f2', 400))
    const controller = new AbortController()
    const put = transport.putUpload!(other, bytes(400), { signal: controller.signal, onProgress: () => controller.abort() })
    await expect(put).rejects.toMatchObject({ code: 'closed' })
    expect(backend.uploads().find((u) => u.clientId === 'f2')).toMatchObject({ puts: 0 })
    expect(backend.uploads().find((u) => u.clientId === 'f2')?.blob).toBeUndefined()
  })

  it('serves a stored file by its url, for tests that show it', async () => {
    const backend = createMemoryBackend({ fileUrl: ({ id, name }) => `http://127.0.0.1:9/files/${id}/${name}` })
    const { transport, id } = await connected({ backend })
    const slot = await transport.requestUpload!(id, request())
    expect(slot.getUrl).toMatch(/^http:\/\/127\.0\.0\.1:9\/files\/u_\w+\/photo\.png$/)
    expect(backend.upload(slot.getUrl)).toBeUndefined()
    await transport.putUpload!(slot, bytes())
    expect(backend.upload(slot.getUrl)?.blob?.size).toBe(4)
  })
})
