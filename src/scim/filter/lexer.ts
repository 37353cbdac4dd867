/**
 * Tokeniser for SCIM filters and PATCH paths.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2 (filter ABNF, Figure 1)
 *
 * The lexer knows characters, not grammar: a `word` is any run of attribute-path characters
 * (`name.familyName`, `urn:…:2.0:User:manager.value`, `eq`, `and`, `true`); the parser decides
 * what a word means from where it stands, so an attribute may even be called `and` or `pr`.
 * Offsets are 0-based UTF-16 positions in the input, quoted as-is in error details.
 */

export type TokenKind = 'word' | 'string' | 'number' | '(' | ')' | '[' | ']' | '.' | 'eof'

export interface Token {
  kind: TokenKind
  /** Offset of the token's first character. */
  offset: number
  /** Source text of the token (empty for `eof`). */
  text: string
  /** Decoded JSON value, for `string` and `number` tokens. */
  value?: string | number
}

/** Errors are created by the caller, so the same lexer serves `invalidFilter` and `invalidPath`. */
export type Fail = (detail: string) => Error

const PUNCTUATION = new Set(['(', ')', '[', ']', '.'])
// RFC 8259 §2: insignificant whitespace. Filters sent in a SearchRequest body may be wrapped.
const WHITESPACE = new Set([' ', '\t', '\n', '\r'])
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9'
const isAlpha = (c: string | undefined) => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
const isHex = (c: string | undefined) => isDigit(c) || (c !== undefined && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
// URN characters plus ATTRNAME characters; '$' because RFC 7643 §2.4 names a sub-attribute `$ref`.
const isWordChar = (c: string | undefined) => isAlpha(c) || isDigit(c) || c === '-' || c === '_' || c === '.' || c === ':' || c === '$'
const isAtom = (kind: TokenKind) => kind === 'word' || kind === 'string' || kind === 'number'

/** How an error detail names a token: `end of input`, `"eq"`, `string "x"`. */
export function describeToken (token: Token): string {
  if (token.kind === 'eof') return 'end of input'
  if (token.kind === 'string') return `string ${token.text}`
  return JSON.stringify(token.text)
}

export function tokenize (text: string, fail: Fail): Token[] {
  const tokens: Token[] = []
  let i = 0
  let spaceBefore = true
  while (i < text.length) {
    const c = text[i] as string
    if (WHITESPACE.has(c)) {
      i++
      spaceBefore = true
      continue
    }
    let token: Token
    if (PUNCTUATION.has(c)) {
      token = { kind: c as TokenKind, offset: i, text: c }
    } else if (c === '"') {
      token = readString(text, i, fail)
    } else if (c === '-' || isDigit(c)) {
      token = readNumber(text, i, fail)
    } else if (isAlpha(c) || c === '$') {
      let end = i + 1
      while (isWordChar(text[end])) end++
      token = { kind: 'word', offset: i, text: text.slice(i, end) }
    } else {
      throw fail(`Unexpected character ${JSON.stringify(c)} at character offset ${i}`)
    }
    // The ABNF puts SP between an attribute, its operator and its value: `eq"x"` is two tokens glued.
    const previous = tokens.at(-1)
    if (!spaceBefore && previous !== undefined && isAtom(previous.kind) && isAtom(token.kind)) {
      throw fail(`Expected whitespace before ${describeToken(token)} at character offset ${i}`)
    }
    tokens.push(token)
    i = token.offset + token.text.length
    spaceBefore = false
  }
  tokens.push({ kind: 'eof', offset: text.length, text: '' })
  return tokens
}

/** A JSON string (RFC 8259 §7), decoded. */
function readString (text: string, start: number, fail: Fail): Token {
  let value = ''
  let i = start + 1
  while (i < text.length) {
    const c = text[i] as string
    if (c === '"') return { kind: 'string', offset: start, text: text.slice(start, i + 1), value }
    if (c < ' ') {
      throw fail(`Unescaped control character in string at character offset ${i}`)
    }
    if (c !== '\\') {
      value += c
      i++
      continue
    }
    const e = text[i + 1]
    if (e === 'u') {
      const hex = text.slice(i + 2, i + 6)
      if (hex.length !== 4 || ![...hex].every(isHex)) {
        throw fail(`Invalid escape "\\u${hex}" in string at character offset ${i}: expected four hex digits`)
      }
      value += String.fromCharCode(Number.parseInt(hex, 16))
      i += 6
    } else if (e !== undefined && e in ESCAPES) {
      value += ESCAPES[e]
      i += 2
    } else {
      throw fail(`Invalid escape "\\${e ?? ''}" in string at character offset ${i}`)
    }
  }
  throw fail(`Unterminated string starting at character offset ${start}`)
}

/**
 * A JSON number (RFC 8259 §6): `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`.
 * Anything glued to it (`123abc`, `01`, `1.`) is an error, never a string.
 */
function readNumber (text: string, start: number, fail: Fail): Token {
  let i = start
  const digits = () => {
    const from = i
    while (isDigit(text[i])) i++
    return i > from
  }
  if (text[i] === '-') i++
  let valid = true
  if (text[i] === '0') i++
  else valid = digits()
  if (valid && text[i] === '.') {
    i++
    valid = digits()
  }
  if (valid && (text[i] === 'e' || text[i] === 'E')) {
    i++
    if (text[i] === '+' || text[i] === '-') i++
    valid = digits()
  }
  if (!valid || isWordChar(text[i])) {
    let end = i
    while (isWordChar(text[end]) || text[end] === '+') end++
    throw fail(`Invalid number ${JSON.stringify(text.slice(start, Math.max(end, i)))} at character offset ${start}`)
  }
  const source = text.slice(start, i)
  const value = Number(source)
  if (!Number.isFinite(value)) throw fail(`Number ${source} at character offset ${start} is out of range`)
  return { kind: 'number', offset: start, text: source, value }
}
