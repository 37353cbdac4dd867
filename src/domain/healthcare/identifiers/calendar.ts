/** Calendar checks for identifiers that embed a birth date (CPR, hetu). Pure: no clock, no time zone. */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

function daysInMonth (year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/** undefined when day/month/year is a date of the proleptic Gregorian calendar, else why not. */
export function dateProblem (label: string, year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12) return `${label} date: month ${String(month).padStart(2, '0')} does not exist`
  if (day < 1 || day > daysInMonth(year, month)) return `${label} date: day ${String(day).padStart(2, '0')} does not exist in ${MONTHS[month - 1] as string} ${year}`
  return undefined
}

export const isoDate = (year: number, month: number, day: number) =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
