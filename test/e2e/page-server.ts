import { build } from 'esbuild'
import { createServer } from 'node:http'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))

/**
 * Serve a test page on 127.0.0.1 that runs `entry` (a file of test/e2e, bundled by esbuild) under
 * `title`, and answers `files` (path → [content type, body]) besides.
 *
 * @example
 * const page = await servePage('rich-page.js', 'Rich', { '/pixel.png': ['image/png', PIXEL] })
 * await browserPage.goto(page.url)
 */
export async function servePage(entry: string, title: string, files: Record<string, [string, Buffer]> = {}) {
  const script = (await build({ entryPoints: [`${root}/test/e2e/${entry}`], bundle: true, format: 'iife', target: 'es2022', write: false, logLevel: 'silent' }))
    .outputFiles[0]!.contents
  const server = createServer((request, response) => {
    const file = files[request.url ?? '']
    if (request.url === '/page.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(script)
    else if (file) response.writeHead(200, { 'content-type': file[0] }).end(file[1])
    else response.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html lang="en"><title>${title}</title><body><script src="/page.js"></script>`)
  })
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => server.close() }
}
