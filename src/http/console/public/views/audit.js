// The audit log: newest first, filtered by period, action and source; the export streams every match as NDJSON.
import { html, useEffect, useState } from '/console/vendor/standalone.module.js'
import { api, query, tenantApi } from '../api.js'
import { formatDateTime, t } from '../i18n.js'
import { errorsOf, Field, Heading, Notice, Select } from '../ui.js'

const SOURCES = ['scim', 'admin', 'self-service', 'enrolment', 'cli', 'system']
const PAGE_SIZE = 50

/** A date input's day as the API's date-time (the whole day in the reader's time zone). */
const dayStart = (day) => day === '' ? undefined : new Date(`${day}T00:00:00`).toISOString()
const dayEnd = (day) => day === '' ? undefined : new Date(`${day}T23:59:59.999`).toISOString()

function changesOf (event) {
  if (event.changes === null) return ''
  return Object.entries(event.changes).map(([field, change]) => `${field}: ${JSON.stringify(change?.from ?? null)} → ${JSON.stringify(change?.to ?? null)}`).join('; ')
}

export function AuditLog ({ tenant }) {
  const [form, setForm] = useState({ from: '', to: '', action: '', source: '' })
  const [filters, setFilters] = useState({})
  const [events, setEvents] = useState([])
  const [next, setNext] = useState(null)
  const [notice, setNotice] = useState()
  const load = async (before) => {
    try {
      const page = await api('GET', tenantApi(tenant, `/audit${query({ ...filters, before, limit: PAGE_SIZE })}`))
      setEvents(before === undefined ? page.items : [...events, ...page.items])
      setNext(page.nextBefore)
    } catch (error) { setNotice(errorsOf(error).notice) }
  }
  useEffect(() => { load(undefined) }, [tenant, filters])
  const apply = (event) => {
    event.preventDefault()
    setFilters({ from: dayStart(form.from), to: dayEnd(form.to), action: form.action.trim() || undefined, source: form.source || undefined })
  }
  const set = (field) => (value) => setForm({ ...form, [field]: value })
  return html`<${Heading}>${t('audit.title')}</${Heading}>
    <${Notice} notice=${notice} />
    <form class="toolbar" onSubmit=${apply}>
      <${Field} name="from" type="date" label=${t('audit.from')} value=${form.from} onInput=${set('from')} />
      <${Field} name="to" type="date" label=${t('audit.to')} value=${form.to} onInput=${set('to')} />
      <${Field} name="action" label=${t('audit.action')} value=${form.action} onInput=${set('action')} />
      <${Select} name="source" label=${t('audit.source')} value=${form.source} onChange=${set('source')}
        options=${[{ value: '', label: t('common.all') }, ...SOURCES.map(s => ({ value: s, label: s }))]} />
      <button type="submit">${t('audit.filter')}</button>
      <a class="button secondary" href=${tenantApi(tenant, `/audit/export${query(filters)}`)} download="audit.ndjson">${t('audit.export')}</a>
    </form>
    <table class="data">
      <thead><tr><th scope="col">${t('audit.time')}</th><th scope="col">${t('audit.action')}</th><th scope="col">${t('audit.source')}</th>
        <th scope="col">${t('audit.actor')}</th><th scope="col">${t('audit.target')}</th><th scope="col">${t('audit.changes')}</th></tr></thead>
      <tbody>${events.length === 0 ? html`<tr><td colspan="6">${t('audit.empty')}</td></tr>` : events.map(event => html`<tr>
        <td>${formatDateTime(event.at)}</td><td><code>${event.action}</code></td><td>${event.source}</td>
        <td>${event.actor.label ?? event.actor.type}</td><td>${event.target.type ?? ''} ${event.target.id ?? ''}</td><td class="changes">${changesOf(event)}</td>
      </tr>`)}</tbody>
    </table>
    ${next === null ? '' : html`<button type="button" onClick=${() => load(next)}>${t('audit.more')}</button>`}`
}
