import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startServer } from './helpers.js'

describe('pages', () => {
  it('serves the demo page with the script-tag snippet', async () => {
    const server = await startServer()
    const response = await fetch(`${server.url}/`)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    const html = await response.text()
    expect(html).toContain("s.src = '/confab.js'")
    expect(html).toContain("Confab('boot', { url: location.origin, mode: 'messaging', theme: 'auto', titleBadge: true, gifs: { provider: 'confab' }, dataLayer: true, onAction: demoCheckout })")
  })

  it('boots the demo in chat mode with ?mode=chat', async () => {
    const server = await startServer()
    const html = await (await fetch(`${server.url}/?mode=chat`)).text()
    expect(html).toContain("Confab('boot', { url: location.origin, mode: 'chat', theme: 'auto', titleBadge: true, gifs: { provider: 'confab' }, dataLayer: true, onAction: demoCheckout })")
  })

  it("boots the demo in the theme ?theme= names, following the visitor's system without it", async () => {
    const server = await startServer()
    const html = await (await fetch(`${server.url}/?theme=dark`)).text()
    expect(html).toContain("mode: 'messaging', theme: 'dark', titleBadge: true")
    expect(html).toContain('data-widget-theme="dark"')
    expect(await (await fetch(`${server.url}/?theme=sepia`)).text()).toContain("mode: 'messaging', theme: 'auto', titleBadge: true")
  })

  it('serves the agent console under a strict content security policy', async () => {
    const server = await startServer()
    const response = await fetch(`${server.url}/agent?key=x`)
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'")
    const html = await response.text()
    expect(html).toContain('data-testid="agent-reply"')
    expect(html).toContain('data-testid="agent-send"')
    expect((await fetch(`${server.url}/agent.js`)).headers.get('content-type')).toMatch(/^text\/javascript/)
  })

  it('explains how to build the widget when it is missing', async () => {
    const server = await startServer()
    const response = await fetch(`${server.url}/confab.js`)
    expect(response.status).toBe(404)
    expect(await response.text()).toContain('npm run build')
  })

  it('serves the built widget from widgetPath', async () => {
    const server = await startServer()
    const widgetPath = join(server.dataDir, 'confab.js')
    writeFileSync(widgetPath, 'window.built = true')
    await server.restart({ widgetPath })
    const response = await fetch(`${server.url}/confab.js`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect(await response.text()).toBe('window.built = true')
  })

  it.each([
    ['the rest of the widget', 'confab-core.js', 'window.ConfabCore = {}'],
    ['the search module', 'confab-search.js', 'window.ConfabSearch = {}'],
    ['the emoji picker', 'confab-emoji-picker.js', 'window.ConfabEmoji = {}'],
    ['the upload step', 'confab-uploads.js', 'window.ConfabUploads = {}'],
    ['the media module', 'confab-media.js', 'window.ConfabMedia = {}']
  ])('serves %s from beside the widget', async (_, file, content) => {
    const server = await startServer()
    const widgetPath = join(server.dataDir, 'confab.js')
    writeFileSync(widgetPath, 'window.built = true')
    writeFileSync(join(server.dataDir, file), content)
    await server.restart({ widgetPath })
    const response = await fetch(`${server.url}/${file}`)
    expect(response.status).toBe(200)
    expect(await response.text()).toBe(content)
  })

  it('serves the pane from beside the widget, as the widget itself', async () => {
    const server = await startServer()
    const widgetPath = join(server.dataDir, 'confab.js')
    writeFileSync(widgetPath, 'window.built = true')
    writeFileSync(join(server.dataDir, 'confab-pane.js'), 'window.ConfabPane = {}')
    await server.restart({ widgetPath })
    const response = await fetch(`${server.url}/confab-pane.js`)
    const widget = await fetch(`${server.url}/confab.js`)
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('window.ConfabPane = {}')
    for (const header of ['content-type', 'cache-control']) expect(response.headers.get(header)).toBe(widget.headers.get(header))
  })

  it('serves the emoji data from beside the widget as JSON, compressed, kept a day and revalidated', async () => {
    const server = await startServer()
    const widgetPath = join(server.dataDir, 'confab.js')
    writeFileSync(widgetPath, 'window.built = true')
    const data = JSON.stringify({ format: 1, groups: [{ key: 'flags', emoji: [['🏁', 'chequered flag', 'checkered_flag', 'race']] }] })
    writeFileSync(join(server.dataDir, 'confab-emoji.json'), data)
    await server.restart({ widgetPath })
    const response = await fetch(`${server.url}/confab-emoji.json`, { headers: { 'accept-encoding': 'gzip' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    expect(response.headers.get('content-encoding')).toBe('gzip')
    expect(response.headers.get('cache-control')).toBe('public, max-age=86400')
    expect(await response.text()).toBe(data)
    const again = await fetch(`${server.url}/confab-emoji.json`, { headers: { 'if-none-match': response.headers.get('etag')! } })
    expect(again.status).toBe(304)
  })

  it('serves the emoji data uncompressed to a client that does not take gzip', async () => {
    const server = await startServer()
    const widgetPath = join(server.dataDir, 'confab.js')
    writeFileSync(widgetPath, 'window.built = true')
    writeFileSync(join(server.dataDir, 'confab-emoji.json'), '{"format":1,"groups":[]}')
    await server.restart({ widgetPath })
    const response = await fetch(`${server.url}/confab-emoji.json`, { headers: { 'accept-encoding': 'identity' } })
    expect(response.headers.get('content-encoding')).toBeNull()
    expect(await response.json()).toEqual({ format: 1, groups: [] })
  })

  it('answers the health check', async () => {
    const server = await startServer()
    const response = await fetch(`${server.url}/health`)
    expect(response.status).toBe(200)
  })
})
