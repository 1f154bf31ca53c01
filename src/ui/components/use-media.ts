import { useEffect, useState } from 'preact/hooks'
import type { MediaModule } from '../media/load.js'
import type { PaneProps } from './props.js'

/** The media module once here: every component that wants it afterwards draws with it at once. */
let loaded: MediaModule | undefined

/**
 * The media module (see `media/load.ts`), loaded once `wanted`; `undefined` until it is here, and
 * for as long as it cannot be loaded.
 */
export function useMedia(load: PaneProps['loadMedia'], wanted = true): MediaModule | undefined {
  const [media, setMedia] = useState(loaded)
  useEffect(() => {
    if (wanted && !media) void getMedia(load).then(setMedia, () => undefined)
  }, [wanted])
  return media
}

/** Load the media module, and keep it for {@link useMedia}. */
export const getMedia = async (load: PaneProps['loadMedia']): Promise<MediaModule> => (loaded = await load())
