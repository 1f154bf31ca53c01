import type { LocationPart } from '../../../transports/types.js'
import type { UiProps } from '../props.js'

/** A place: its name and address, and a link to it on OpenStreetMap. */
export function Location({ strings, part }: Pick<UiProps, 'strings'> & { part: LocationPart }) {
  const { latitude: lat, longitude: lon } = part
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return null
  return (
    <div class="box loc" data-testid="location">
      {part.name && <b>{part.name}</b>}
      {part.address && <span>{part.address}</span>}
      <a href={`https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`} target="_blank" rel="noopener noreferrer">
        <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">
          <path d="M12 21s-7-6.2-7-11a7 7 0 0 1 14 0c0 4.8-7 11-7 11z" />
          <circle cx="12" cy="10" r="2.5" />
        </svg>{' '}
        {strings.openMap}
      </a>
    </div>
  )
}
