// @ts-check
// Which files an upload limit accepts (`UploadLimits.types` of src/transports/types.ts), in one place
// for the reference server (before it grants a slot), the conformance kit and the client (before any
// byte leaves). Plain JavaScript with JSDoc types, like check.js, so the server runs it without a build.

/** A MIME type without parameters, or a family (`image/*`). */
const TYPE = /^[a-z0-9][\w.+-]{0,62}\/(\*|[a-z0-9][\w.+-]{0,62})$/

/**
 * A MIME type as compared: lower case, without parameters (`Image/PNG; x=1` → `image/png`).
 *
 * @param {string} type
 * @example
 * normalType('Text/Plain; charset=utf-8') // 'text/plain'
 */
export const normalType = (type) => (type.split(';')[0] ?? '').trim().toLowerCase()

/**
 * Whether `entry` is a well-formed entry of `UploadLimits.types`: an exact type or a family.
 *
 * @param {unknown} entry
 * @example
 * isTypePattern('image/*') // true
 * isTypePattern('*') // false
 */
export const isTypePattern = (entry) => typeof entry === 'string' && TYPE.test(entry.toLowerCase()) && entry === entry.trim()

/**
 * Whether a file of MIME type `type` is accepted by `types`: an entry equal to it, or its family
 * (`image/*`). An empty list accepts any type; an empty or malformed `type` is never accepted by a
 * list that names types.
 *
 * @param {readonly string[]} types
 * @param {string} type
 * @example
 * acceptsType(['image/*', 'application/pdf'], 'image/png') // true
 * acceptsType(['image/*'], 'application/pdf') // false
 * acceptsType([], 'application/x-anything') // true
 */
export function acceptsType(types, type) {
  if (types.length === 0) return true
  const wanted = normalType(type)
  if (!TYPE.test(wanted) || wanted.endsWith('/*')) return false
  const family = `${wanted.slice(0, wanted.indexOf('/'))}/*`
  return types.some((entry) => {
    const normal = entry.toLowerCase()
    return normal === wanted || normal === family
  })
}
