/** Print one figure as a JSON line, the format every benchmark uses. */
export function report(metric, value, unit) {
  console.log(JSON.stringify({ metric, value: Math.round(value * 100) / 100, unit }))
}

/** The p-th percentile (0–100) of a list of numbers. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}
