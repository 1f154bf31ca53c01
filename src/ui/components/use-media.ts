import { useEffect, useState } from 'preact/hooks'
import type { MediaModule } from '../media/load.js'
import type { PaneProps } from './props.js'
import { isShown, useShown } from './shown.js'

/** The media module once here: every component that wants it afterwards draws with it at once. */
let loaded: MediaModule | undefined

/**
 * The media module (see `media/load.ts`), loaded once `wanted`, and, given the pane's `frame`, once
 * the pane shows (one drawn ahead while closed loads nothing: see `shown.ts`); `undefined` until it
 * is here, and for as long as it cannot be loaded.
 */
export function useMedia(load: PaneProps['loadMedia'], wanted = true, frame?: PaneProps['frame']): MediaModule | undefined {
  const [media, setMedia] = useState(loaded)
  const get = () => {
    if (wanted && !media && isShown(frame?.current)) void getMedia(load).then(setMedia, () => undefined)
  }
  useEffect(get, [wanted])
  useShown(frame, get)
  return media
}

/** Load the media module, and keep it for {@link useMedia}. */
export const getMedia = async (load: PaneProps['loadMedia']): Promise<MediaModule> => (loaded = await load())
