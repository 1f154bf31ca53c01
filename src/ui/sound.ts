/**
 * A short, soft two-note chime, synthesised with WebAudio: no audio file to download. The
 * `AudioContext` is made on the first chime, not before (browsers warn about, or refuse, contexts
 * made without a reason). Where audio is missing, blocked by the autoplay policy or fails, the chime
 * is silently skipped: a sound is a nicety, never an error.
 *
 * @example
 * const chime = createChime(window.AudioContext)
 * client.on('message', chime)
 */
export function createChime(Context: (new () => AudioContext) | undefined): () => void {
  let context: AudioContext | undefined
  return () => {
    try {
      context ??= new Context!()
      // A context made before the visitor interacted with the page starts suspended; resuming is
      // allowed once the page has had a click or key press, and refused (harmlessly) otherwise.
      context.resume().catch(() => undefined)
      const start = context.currentTime
      const gain = context.createGain()
      // Quiet, with a soft attack and a quick fade: exponential ramps cannot start from 0.
      gain.gain.setValueAtTime(1e-4, start)
      gain.gain.exponentialRampToValueAtTime(0.08, start + 0.02)
      gain.gain.exponentialRampToValueAtTime(1e-4, start + 0.4)
      gain.connect(context.destination)
      const tone = context.createOscillator()
      tone.frequency.setValueAtTime(880, start)
      tone.frequency.setValueAtTime(660, start + 0.12)
      tone.connect(gain)
      tone.start(start)
      tone.stop(start + 0.4)
    } catch {
      // No WebAudio here, or it refused: stay silent.
    }
  }
}
