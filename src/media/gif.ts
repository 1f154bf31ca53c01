/**
 * The size a GIF declares in its header (the logical screen: bytes 6 to 9, little-endian), or
 * `undefined` when `bytes` does not start as a GIF does (`GIF87a` or `GIF89a`). Reads no further:
 * a GIF passes unchanged (re-encoding would lose its animation), so this is all that is measured.
 *
 * @example
 * gifSize(new Uint8Array(await file.slice(0, 10).arrayBuffer())) // { width: 480, height: 270 }
 */
export function gifSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (!/^GIF8[79]a$/.test(String.fromCharCode(...bytes.subarray(0, 6))) || bytes.length < 10) return undefined
  const width = bytes[6]! | (bytes[7]! << 8)
  const height = bytes[8]! | (bytes[9]! << 8)
  return width && height ? { width, height } : undefined
}
