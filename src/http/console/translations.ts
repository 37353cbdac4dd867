import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The console's languages (issue: nl, de, da, fi, en); the first is the fallback. */
export const LANGUAGES = ['en', 'nl', 'de', 'da', 'fi'] as const
export type Language = typeof LANGUAGES[number]

/** The browser's files: the same catalogues serve the server's pages and the console (no copy to keep in step). */
export const PUBLIC_DIR = fileURLToPath(new URL('../../../src/http/console/public/', import.meta.url))

type Catalogue = Record<string, string>

/** Message catalogues, read once at start-up. */
export class Translations {
  private constructor (private readonly catalogues: Record<Language, Catalogue>) {}

  static load (): Translations {
    const read = (language: Language) => JSON.parse(readFileSync(`${PUBLIC_DIR}i18n/${language}.json`, 'utf8')) as Catalogue
    return new Translations(Object.fromEntries(LANGUAGES.map(language => [language, read(language)])) as Record<Language, Catalogue>)
  }

  /** A message with its `{placeholders}` filled; English when the language lacks it, the key when English does. */
  t (language: Language, key: string, vars: Record<string, string> = {}): string {
    const template = this.catalogues[language][key] ?? this.catalogues.en[key] ?? key
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole)
  }
}
