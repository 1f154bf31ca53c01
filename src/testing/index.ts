/**
 * `confab/testing`: an in-memory backend and transport for tests, demos and prototypes.
 */
export { createMemoryBackend, createMemoryTransport } from '../transports/memory/index.js'
export type { MemoryBackend, MemoryBackendOptions, MemoryTransportOptions } from '../transports/memory/index.js'
