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
        <span aria-hidden="true">📍 </span>
        {strings.openMap}
      </a>
    </div>
  )
}
