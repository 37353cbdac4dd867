/**
 * Recursive-descent parser for SCIM filters and PATCH paths.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2 (filter ABNF, Figure 1; precedence)
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2 (PATH = attrPath / valuePath [subAttr], Figure 7)
 *
 * Grammar, with the ABNF's left recursion (`logExp = FILTER SP ("and" / "or") SP FILTER`) unrolled so
 * that "not" binds tighter than "and", which binds tighter than "or":
 *
 *   filter  = or EOF
 *   or      = and *("or" and)          → one n-ary 'or' node
 *   and     = unary *("and" unary)     → one n-ary 'and' node
 *   unary   = "not" "(" or ")" / "(" or ")" / attrExp / valuePath
 *   valuePath = attrPath "[" or "]"    ; inner paths are sub-attributes, no nested valuePath
 *
 * Keywords and operators are case-insensitive ("attribute names and attribute operators used in
 * filters are case insensitive"); attribute names are kept as written.
 */
import { invalidFilter, invalidPath } from '../errors.js'
import type { AttributePath, ComparisonOperator, ComparisonValue, Filter, PatchPath } from './ast.js'
import { describeToken, tokenize, type Fail, type Token } from './lexer.js'

export interface FilterLimits {
  /** Longest accepted input, in characters. */
  maxLength?: number
  /** Deepest nesting of `(`, `not (` and `[`. Bounds recursion, so hostile input cannot blow the stack. */
  maxDepth?: number
  /** Most attribute expressions (comparisons and `pr`) in one filter. */
  maxNodes?: number
}

export const DEFAULT_FILTER_LIMITS: Readonly<Required<FilterLimits>> = { maxLength: 4096, maxDepth: 32, maxNodes: 256 }

const COMPARISON_OPERATORS = new Set<string>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le'])
const EXPECTED_OPERATOR = 'a comparison operator (eq, ne, co, sw, ew, gt, lt, ge, le) or "pr"'
const EXPECTED_VALUE = 'a comparison value (JSON string, number, true, false or null)'

export function parseFilter (text: string, limits?: FilterLimits): Filter {
  const parser = new Parser(text, 'Filter', invalidFilter, limits)
  const filter = parser.parseOr()
  parser.expect('eof', '"and", "or" or end of filter')
  return filter
}

export function parsePatchPath (text: string): PatchPath {
  const parser = new Parser(text, 'Path', invalidPath)
  const start = parser.peek()
  const path = parser.parseAttributePath()
  if (parser.peek().kind !== '[') {
    parser.expect('eof', 'end of path')
    return path
  }
  const filter = parser.parseValuePath(path, start)
  const result: PatchPath = { ...path, filter }
  if (parser.accept('.')) result.subAttribute = parser.subAttributeName(path)
  parser.expect('eof', '"." followed by a sub-attribute name, or end of path')
  return result
}

const isKeyword = (token: Token, keyword: string) => token.kind === 'word' && token.text.toLowerCase() === keyword

class Parser {
  readonly fail: Fail
  private readonly tokens: Token[]
  private readonly limits: Required<FilterLimits>
  private position = 0
  private depth = 0
  private nodes = 0
  /** Set while parsing inside `attr[...]`, where paths name sub-attributes of `attr`. */
  private valuePathOf: AttributePath | undefined

  constructor (text: string, what: 'Filter' | 'Path', fail: Fail, limits?: FilterLimits) {
    this.fail = fail
    this.limits = { ...DEFAULT_FILTER_LIMITS, ...limits }
    if (text.length > this.limits.maxLength) {
      throw fail(`${what} is ${text.length} characters long; the maximum is ${this.limits.maxLength}`)
    }
    this.tokens = tokenize(text, fail)
    if (this.peek().kind === 'eof') throw fail(`${what} is empty`)
  }

  peek (ahead = 0): Token {
    return this.tokens[Math.min(this.position + ahead, this.tokens.length - 1)] as Token
  }

  accept (kind: Token['kind']): Token | undefined {
    const token = this.peek()
    if (token.kind !== kind) return undefined
    this.position++
    return token
  }

  expect (kind: Token['kind'], expected: string): Token {
    const token = this.accept(kind)
    if (token === undefined) throw this.unexpected(expected)
    return token
  }

  unexpected (expected: string): Error {
    const token = this.peek()
    return this.fail(`Expected ${expected} at character offset ${token.offset}, found ${describeToken(token)}`)
  }

  parseOr (): Filter {
    return this.parseChain('or', () => this.parseAnd())
  }

  private parseAnd (): Filter {
    return this.parseChain('and', () => this.parseUnary())
  }

  /** `operand *(keyword operand)`, flattened into one n-ary node (`a and (b and c)` too). */
  private parseChain (keyword: 'and' | 'or', operand: () => Filter): Filter {
    const filters: Filter[] = []
    while (true) {
      const filter = operand()
      if (filter.kind === keyword) filters.push(...filter.filters)
      else filters.push(filter)
      if (!isKeyword(this.peek(), keyword)) break
      this.position++
    }
    return filters.length === 1 ? filters[0] as Filter : { kind: keyword, filters }
  }

  private parseUnary (): Filter {
    const token = this.peek()
    if (token.kind === '(') return this.nested(token, () => this.parseGroup())
    if (isKeyword(token, 'not') && this.startsNot()) {
      this.position++
      return this.nested(token, () => ({ kind: 'not', filter: this.parseGroup() }))
    }
    if (token.kind !== 'word') throw this.unexpected('an attribute path, "(" or "not ("')
    const path = this.parseAttributePath()
    if (this.peek().kind === '[') return this.parseFilterValuePath(path, token)
    return this.parseAttributeExpression(path)
  }

  /**
   * `not` is the keyword when a group follows. An attribute may be named `not` (`not pr`, `not[...]`),
   * so only a word that cannot start an attribute expression makes `not` a misplaced keyword.
   */
  private startsNot (): boolean {
    const next = this.peek(1)
    if (next.kind === '(') return true
    if (next.kind === '[') return false
    if (next.kind === 'word') {
      const op = next.text.toLowerCase()
      if (op === 'pr' || COMPARISON_OPERATORS.has(op)) return false
    }
    this.position++
    throw this.unexpected('"(" after "not"')
  }

  private parseGroup (): Filter {
    this.expect('(', '"("')
    const filter = this.parseOr()
    this.expect(')', '")"')
    return filter
  }

  private nested<T> (token: Token, parse: () => T): T {
    if (++this.depth > this.limits.maxDepth) {
      throw this.fail(`Filter nesting exceeds the maximum depth of ${this.limits.maxDepth} at character offset ${token.offset}`)
    }
    const result = parse()
    this.depth--
    return result
  }

  private parseAttributeExpression (path: AttributePath): Filter {
    if (++this.nodes > this.limits.maxNodes) {
      throw this.fail(`Filter has more than the maximum of ${this.limits.maxNodes} attribute expressions`)
    }
    const operator = this.peek()
    const op = operator.kind === 'word' ? operator.text.toLowerCase() : ''
    if (op === 'pr') {
      this.position++
      return { kind: 'present', path }
    }
    if (!COMPARISON_OPERATORS.has(op)) throw this.unexpected(EXPECTED_OPERATOR)
    this.position++
    return { kind: 'compare', path, op: op as ComparisonOperator, value: this.parseValue() }
  }

  private parseValue (): ComparisonValue {
    const token = this.peek()
    let value: ComparisonValue | undefined
    if (token.kind === 'string' || token.kind === 'number') value = token.value
    else if (token.kind === 'word') {
      // RFC 8259 literals are lower case, but clients commonly send `True`/`FALSE`; accept any case.
      const literal = token.text.toLowerCase()
      if (literal === 'true') value = true
      else if (literal === 'false') value = false
      else if (literal === 'null') value = null
    }
    if (value === undefined) throw this.unexpected(EXPECTED_VALUE)
    this.position++
    return value
  }

  private parseFilterValuePath (path: AttributePath, start: Token): Filter {
    const filter = this.parseValuePath(path, start)
    // Lenience: `emails[type eq "work"].value eq "x"` is read as `emails[type eq "work" and value eq "x"]`.
    // It is not in the ABNF, but some clients write filters the way they write PATCH paths.
    if (this.peek().kind !== '.') return { kind: 'valuePath', path, filter }
    this.position++
    const subAttribute = this.subAttributeName(path)
    const extra = this.parseAttributeExpression({ attribute: subAttribute })
    const filters = filter.kind === 'and' ? [...filter.filters, extra] : [filter, extra]
    return { kind: 'valuePath', path, filter: { kind: 'and', filters } }
  }

  /** `attrPath "[" valFilter "]"`: returns the inner filter, whose paths are sub-attributes of `path`. */
  parseValuePath (path: AttributePath, start: Token): Filter {
    const open = this.peek()
    if (this.valuePathOf !== undefined) {
      throw this.fail(`Nested valuePath "${start.text}[" inside "${this.valuePathOf.attribute}[...]" at character offset ${start.offset} is not allowed`)
    }
    if (path.subAttribute !== undefined) {
      throw this.fail(`A valuePath applies to a multi-valued attribute, not to the sub-attribute "${start.text}" at character offset ${start.offset}`)
    }
    return this.nested(open, () => {
      this.position++
      this.valuePathOf = path
      const filter = this.parseOr()
      this.valuePathOf = undefined
      this.expect(']', '"]"')
      return filter
    })
  }

  subAttributeName (parent: AttributePath): string {
    const token = this.peek()
    const sub = this.parseAttributePathIn(undefined)
    if (sub.uri !== undefined || sub.subAttribute !== undefined) {
      throw this.fail(`Expected a sub-attribute name of "${parent.attribute}" at character offset ${token.offset}, found ${describeToken(token)}`)
    }
    return sub.attribute
  }

  /** `[URI ":"] ATTRNAME *1subAttr` from one word token. */
  parseAttributePath (): AttributePath {
    return this.parseAttributePathIn(this.valuePathOf)
  }

  private parseAttributePathIn (valuePathOf: AttributePath | undefined): AttributePath {
    const token = this.peek()
    if (token.kind !== 'word') throw this.unexpected('an attribute path')
    const path = splitAttributePath(token.text)
    if (typeof path === 'string') {
      throw this.fail(`Invalid attribute path ${JSON.stringify(token.text)} at character offset ${token.offset}: ${path}`)
    }
    if (valuePathOf !== undefined && (path.uri !== undefined || path.subAttribute !== undefined)) {
      throw this.fail(`Inside "${valuePathOf.attribute}[...]" an attribute path names a sub-attribute and cannot have a schema URI or a "." (found ${JSON.stringify(token.text)} at character offset ${token.offset})`)
    }
    this.position++
    return path
  }
}

/**
 * Splits `urn:…:2.0:User:manager.value` at the last ':' (URNs contain dots, like `2.0`), then the
 * rest at '.'. Returns a reason instead of a path when the text is not an attrPath.
 */
function splitAttributePath (text: string): AttributePath | string {
  const colon = text.lastIndexOf(':')
  const uri = colon === -1 ? undefined : text.slice(0, colon)
  if (uri !== undefined && !/^[A-Za-z][A-Za-z0-9+.-]*:./.test(uri)) return 'the schema URI is malformed'
  const names = text.slice(colon + 1).split('.')
  if (names.length > 2) return 'at most one sub-attribute is allowed'
  const bad = names.find(name => !isAttributeName(name))
  if (bad !== undefined) return bad === '' ? 'an attribute name is empty' : `${JSON.stringify(bad)} is not an attribute name`
  const [attribute, subAttribute] = names as [string, string | undefined]
  return {
    ...(uri === undefined ? {} : { uri }),
    attribute,
    ...(subAttribute === undefined ? {} : { subAttribute })
  }
}

/** ATTRNAME = ALPHA *(nameChar), plus RFC 7643's `$ref`. */
function isAttributeName (name: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_-]*$/.test(name) || name === '$ref'
}
