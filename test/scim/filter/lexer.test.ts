import t from 'tap'
import { invalidFilter } from '../../../src/scim/errors.js'
import { tokenize } from '../../../src/scim/filter/index.js'

const lex = (text: string) => tokenize(text, invalidFilter)
const shape = (text: string) => lex(text).map(({ kind, offset, text, value }) => value === undefined ? [kind, offset, text] : [kind, offset, text, value])

t.test('tokens carry kind, offset and source text', async t => {
  t.same(shape('emails[type eq "work"].value pr'), [
    ['word', 0, 'emails'],
    ['[', 6, '['],
    ['word', 7, 'type'],
    ['word', 12, 'eq'],
    ['string', 15, '"work"', 'work'],
    [']', 21, ']'],
    ['.', 22, '.'],
    ['word', 23, 'value'],
    ['word', 29, 'pr'],
    ['eof', 31, '']
  ])
})

t.test('a URN-qualified path is one word, dots and colons included', async t => {
  const [word] = lex('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value pr')
  t.equal(word?.text, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value')
})

t.test('tabs, newlines and repeated spaces separate tokens', async t => {
  t.same(lex(' \ttitle \r\n  pr\t').map(token => token.kind), ['word', 'word', 'eof'])
})

t.test('strings decode every JSON escape', async t => {
  const [token] = lex(String.raw`"q\" b\\ s\/ \b\f\n\r\t \u00e9\uD83D\uDE00"`)
  t.equal(token?.value, 'q" b\\ s/ \b\f\n\r\t é😀')
  t.equal(lex('"O\'Malley"')[0]?.value, "O'Malley")
  t.equal(lex('""')[0]?.value, '')
})

t.test('numbers follow the strict JSON grammar', async t => {
  for (const [text, value] of [['0', 0], ['-1', -1], ['123', 123], ['1.5', 1.5], ['-0.25', -0.25], ['1e3', 1000], ['2E-2', 0.02], ['1.5e+2', 150]] as const) {
    t.equal(lex(text)[0]?.value, value, text)
  }
  t.equal(shape('(1)').length, 4, 'a number may touch a parenthesis')
})

t.test('errors name the problem and its offset', async t => {
  const cases: Array<[string, string]> = [
    ['x eq 123abc', 'Invalid number "123abc" at character offset 5'],
    ['x eq 01', 'Invalid number "01" at character offset 5'],
    ['x eq 1.', 'Invalid number "1." at character offset 5'],
    ['x eq 1e', 'Invalid number "1e" at character offset 5'],
    ['x eq -', 'Invalid number "-" at character offset 5'],
    ['x eq 1e999', 'Number 1e999 at character offset 5 is out of range'],
    ["x eq 'y'", 'Unexpected character "\'" at character offset 5'],
    ['x eq "abc', 'Unterminated string starting at character offset 5'],
    ['x eq "a\\qb"', 'Invalid escape "\\q" in string at character offset 7'],
    ['x eq "\\u12G4"', 'Invalid escape "\\u12G4" in string at character offset 6: expected four hex digits'],
    ['x eq "a\nb"', 'Unescaped control character in string at character offset 7'],
    ['x eq"y"', 'Expected whitespace before string "y" at character offset 4'],
    ['x eq "y"and z pr', 'Expected whitespace before "and" at character offset 8'],
    ['x eq 1"y"', 'Expected whitespace before string "y" at character offset 6']
  ]
  for (const [text, message] of cases) {
    t.throws(() => lex(text), { scimType: 'invalidFilter', status: 400, message }, text)
  }
})
