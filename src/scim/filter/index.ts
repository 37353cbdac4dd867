/**
 * SCIM filters and PATCH paths: parse, print, evaluate.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
export type { AttributePath, ComparisonOperator, ComparisonValue, Filter, PatchPath } from './ast.js'
export { tokenize, type Token, type TokenKind } from './lexer.js'
export { parseFilter, parsePatchPath, DEFAULT_FILTER_LIMITS, type FilterLimits } from './parser.js'
export { formatFilter, formatAttributePath, formatPatchPath } from './printer.js'
export { evaluateElementFilter, evaluateFilter, type DescribeAttribute } from './evaluate.js'
