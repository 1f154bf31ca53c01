import type { Transport, TransportCapabilities } from '../../transports/types.js'
import { skipCheck, type Scope } from './tools.js'
import type { ConformanceFaults } from './types.js'

/** A check as the kit writes it: a sentence, the faults it needs, and its body. */
export interface CheckDefinition {
  name: string
  /** Faults of the harness the check needs; without one, the check is skipped. */
  faults?: (keyof ConformanceFaults)[]
  run(scope: Scope): Promise<void>
}

/** Skip the running check unless the transport declares `capability`. */
export function needCapability(transport: Transport, capability: keyof TransportCapabilities): void {
  if (transport.capabilities?.[capability] !== true) skipCheck(`the transport does not declare capabilities.${capability}`)
}

/** The fault `name` of the harness (the kit skipped the check already if it is missing). */
export function fault<K extends keyof ConformanceFaults>(scope: Scope, name: K): NonNullable<ConformanceFaults[K]> {
  const found = scope.harness.faults?.[name]
  if (typeof found !== 'function') skipCheck(`the harness offers no faults.${name}`)
  return found.bind(scope.harness.faults) as NonNullable<ConformanceFaults[K]>
}
