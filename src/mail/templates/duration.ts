/** Whole days read better than hours from two days on (168 hours = 7 days). */
export function wholeDays (hours: number): number | undefined {
  return hours >= 48 && hours % 24 === 0 ? hours / 24 : undefined
}
