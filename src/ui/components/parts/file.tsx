import { cleanName, typeLabel } from '../../../media/names.js'
import { safeUrl } from '../../../render/url.js'
import type { FilePart } from '../../../transports/types.js'
import { bytes } from '../../format.js'
import type { UiProps } from '../props.js'
import { FileIcon } from './icons.js'
import { Name } from './name.js'

/**
 * A file: a row that downloads it (its type, name and size), or for sound and video the browser's
 * own player, which loads only the file's length until played, and a link that downloads it.
 */
export function File({ strings, locale, part }: Pick<UiProps, 'strings' | 'locale'> & { part: FilePart }) {
  const href = safeUrl(part.url, 'media')
  if (!href) return null
  const name = cleanName(part.name)
  const size = part.size !== undefined && <span class="meta">{bytes(part.size, locale)}</span>
  const kind = /^(audio|video)\//.exec(part.mediaType ?? '')?.[1]
  const link = { href, download: name, target: '_blank', rel: 'noopener noreferrer' }
  if (kind) {
    const Player = kind as 'audio' | 'video'
    return (
      <div class="box play" data-testid={kind}>
        <Player src={href} controls preload="metadata" aria-label={name} />
        <span class="row">
          <Name name={part.name} />
          {size}
          <a {...link}>{strings.download}</a>
        </span>
      </div>
    )
  }
  return (
    <a class="file" {...link} data-testid="file">
      <FileIcon />
      <span class="type">{typeLabel(name, part.mediaType)}</span>
      <Name name={part.name} />
      {size}
    </a>
  )
}
