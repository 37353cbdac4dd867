// Small building blocks every view shares: links that route in place, form fields with their error,
// status messages, a pager. Accessibility lives here once: labels, aria-invalid/-describedby, live regions.
import { html, useEffect, useRef } from '/console/vendor/standalone.module.js'
import { t } from './i18n.js'

let navigateTo = (path) => { location.assign(path) }
export function setNavigator (navigate) { navigateTo = navigate }
export const navigate = (path) => navigateTo(path)

export function Link ({ href, children, ...rest }) {
  const onClick = (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return
    event.preventDefault()
    navigate(href)
  }
  return html`<a href=${href} onClick=${onClick} ...${rest}>${children}</a>`
}

/** A page's heading: names the document and takes focus when the page changes, so a screen reader announces it. */
export function Heading ({ children }) {
  const ref = useRef(null)
  const text = [children].flat().join('')
  useEffect(() => {
    document.title = `${text} · ${t('app.name')}`
    ref.current?.focus()
  }, [text])
  return html`<h1 tabindex="-1" ref=${ref}>${children}</h1>`
}

/** A labelled input with its error (from the API's `field`) right below it. */
export function Field ({ name, label, value, onInput, error, type = 'text', hint, required = false, readOnly = false, autocomplete, ...rest }) {
  const id = `field-${name.replaceAll('.', '-')}`
  const described = [hint === undefined ? undefined : `${id}-hint`, error === undefined ? undefined : `${id}-error`].filter(Boolean).join(' ')
  return html`<div class="field">
    <label for=${id}>${label}${required ? html` <span aria-hidden="true">*</span>` : ''}</label>
    ${hint === undefined ? '' : html`<p class="hint" id=${`${id}-hint`}>${hint}</p>`}
    <input id=${id} name=${name} type=${type} value=${value ?? ''} required=${required} readOnly=${readOnly} autocomplete=${autocomplete}
      aria-invalid=${error === undefined ? undefined : 'true'} aria-describedby=${described === '' ? undefined : described}
      onInput=${(event) => onInput?.(event.currentTarget.value)} ...${rest} />
    ${error === undefined ? '' : html`<p class="error" id=${`${id}-error`}>${error}</p>`}
  </div>`
}

/** Check boxes for a set of values (roles, features). */
export function Choices ({ name, legend, options, selected, onChange, error, required = false }) {
  const toggle = (value, checked) => onChange(checked ? [...selected, value] : selected.filter(v => v !== value))
  const errorId = `choices-${name}-error`
  return html`<fieldset class="choices" aria-describedby=${error === undefined ? undefined : errorId} aria-invalid=${error === undefined ? undefined : 'true'}>
    <legend>${legend}${required ? html` <span aria-hidden="true">*</span>` : ''}</legend>
    ${options.map(option => html`<label class="choice"><input type="checkbox" name=${name} value=${option.value}
      checked=${selected.includes(option.value)} onChange=${(event) => toggle(option.value, event.currentTarget.checked)} /> ${option.label}</label>`)}
    ${error === undefined ? '' : html`<p class="error" id=${errorId}>${error}</p>`}
  </fieldset>`
}

export function Select ({ name, label, value, options, onChange }) {
  const id = `select-${name}`
  return html`<div class="field"><label for=${id}>${label}</label>
    <select id=${id} name=${name} onChange=${(event) => onChange(event.currentTarget.value)}>
      ${options.map(option => html`<option value=${option.value} selected=${option.value === value}>${option.label}</option>`)}
    </select></div>`
}

/** A message that screen readers announce; errors as alerts. */
export function Notice ({ notice }) {
  if (notice === undefined || notice === null) return html`<div role="status" class="notice-slot"></div>`
  return notice.error === true
    ? html`<div role="alert" class="notice error-notice">${notice.text}</div>`
    : html`<div role="status" class="notice">${notice.text}</div>`
}

export function Pager ({ offset, limit, total, onPage }) {
  if (total === 0) return ''
  return html`<nav class="pager" aria-label=${t('common.range', { from: offset + 1, to: Math.min(offset + limit, total), total })}>
    <button type="button" disabled=${offset === 0} onClick=${() => onPage(Math.max(0, offset - limit))}>${t('common.previous')}</button>
    <span>${t('common.range', { from: offset + 1, to: Math.min(offset + limit, total), total })}</span>
    <button type="button" disabled=${offset + limit >= total} onClick=${() => onPage(offset + limit)}>${t('common.next')}</button>
  </nav>`
}

/** Field errors from an ApiError: the message under its field, or as the form's notice. */
export function errorsOf (error) {
  if (error?.field !== undefined) return { fields: { [error.field]: error.message }, notice: { error: true, text: t('common.formErrors') } }
  if (error?.status === 403) return { fields: {}, notice: { error: true, text: t('common.forbidden') } }
  return { fields: {}, notice: { error: true, text: t('common.error', { message: error?.message ?? String(error) }) } }
}

// || rather than ??: a form holds '' for a field left empty.
export const displayName = (row) => row.displayName || [row.givenName, row.familyName].filter(Boolean).join(' ') || row.email || row.id
