import { cleanName, shortName } from '../../../media/names.js'

/**
 * A file's name as text, whatever it holds: markup stays characters, bidi controls are dropped and
 * the name is isolated from the text around it (`<bdi>`), a long one loses its middle (the whole
 * name in its `title`).
 */
export function Name({ name, max }: { name: string; max?: number }) {
  return (
    <bdi class="name" title={cleanName(name)}>
      {shortName(name, max)}
    </bdi>
  )
}
