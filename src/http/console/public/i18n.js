// Messages in the reader's language (nl, de, da, fi, en): chosen in the console, else the browser's.
export const LANGUAGES = ['en', 'nl', 'de', 'da', 'fi']
const STORAGE_KEY = 'carescim.language'
let language = 'en'
let messages = {}
let fallback = {}

async function catalogue (lang) {
  const response = await fetch(`/console/assets/i18n/${lang}.json`)
  return await response.json()
}

export function preferredLanguage () {
  const stored = localStorage.getItem(STORAGE_KEY)
  if (LANGUAGES.includes(stored)) return stored
  for (const tag of navigator.languages ?? [navigator.language]) {
    const primary = tag.toLowerCase().split('-')[0]
    if (LANGUAGES.includes(primary)) return primary
  }
  return 'en'
}

export async function switchLanguage (lang, { remember = false } = {}) {
  if (Object.keys(fallback).length === 0) fallback = await catalogue('en')
  messages = lang === 'en' ? fallback : await catalogue(lang)
  language = lang
  document.documentElement.lang = lang
  if (remember) localStorage.setItem(STORAGE_KEY, lang)
}

export const currentLanguage = () => language

export function t (key, vars = {}) {
  const template = messages[key] ?? fallback[key] ?? key
  return template.replace(/\{(\w+)\}/g, (whole, name) => vars[name] ?? whole)
}

/** The browser's locale when it is of the chosen language (en-GB writes dates as en-GB does), else the language. */
function locale () {
  return (navigator.languages ?? []).find(tag => tag.toLowerCase().split('-')[0] === language) ?? language
}

/** A timestamp in the reader's locale. */
export function formatDateTime (iso) {
  if (iso === null || iso === undefined) return ''
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))
}

/** A calendar date (a birthdate): no time zone shift. */
export function formatDate (iso) {
  if (iso === null || iso === undefined) return ''
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso))
}
