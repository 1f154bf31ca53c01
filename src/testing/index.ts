/**
 * `confab/testing`: an in-memory backend and transport for tests, demos and prototypes, and the
 * transport conformance kit that certifies an adapter against the contract.
 */

// In-memory backend and transport
export { createMemoryBackend, createMemoryTransport } from '../transports/memory/index.js'
export type { MemoryBackend, MemoryBackendOptions, MemoryTransportOptions, MemoryUpload } from '../transports/memory/index.js'

// Transport conformance kit
export { runTransportConformance, transportConformanceChecks } from './conformance/index.js'
export type {
  ConformanceCheck,
  ConformanceFaults,
  ConformanceHarness,
  ConformanceOutcome,
  ConformanceTestApi
} from './conformance/index.js'
