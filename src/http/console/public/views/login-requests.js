// Pending login requests (EG Clinea's "Loginbestillinger"): oldest first, the verified eID facts (never the
// national identifier), approve with the features to grant, reject with a reason that is mailed.
import { html, useEffect, useState } from '/console/vendor/standalone.module.js'
import { api, query, tenantApi } from '../api.js'
import { formatDate, formatDateTime, t } from '../i18n.js'
import { Choices, errorsOf, Field, Heading, Notice, Pager } from '../ui.js'

const PAGE_SIZE = 20

function Request ({ tenant, request, features, onDecided }) {
  const [chosen, setChosen] = useState(request.features.length > 0 ? request.features : [])
  const [reason, setReason] = useState('')
  const [errors, setErrors] = useState({})
  const name = [request.givenName, request.familyName].filter(Boolean).join(' ') || request.email || request.id
  const decide = async (decision, body, message) => {
    try {
      await api('POST', tenantApi(tenant, `/login-requests/${request.id}/${decision}`), body)
      onDecided({ text: t(message, { name }) })
    } catch (error) {
      const { fields, notice } = errorsOf(error)
      setErrors(fields)
      onDecided(notice, false)
    }
  }
  const headingId = `request-${request.id}`
  return html`<article class="card" aria-labelledby=${headingId}>
    <h2 id=${headingId}>${name}</h2>
    <dl class="facts">
      <dt>${t('requests.received')}</dt><dd>${formatDateTime(request.createdAt)}</dd>
      <dt>${t('requests.birthdate')}</dt><dd>${request.birthdate === null ? '–' : formatDate(request.birthdate)}</dd>
      <dt>${t('requests.email')}</dt><dd>${request.email ?? '–'}</dd>
      <dt>${t('requests.level')}</dt><dd>${request.acr ?? '–'}</dd>
      <dt>${t('requests.identifier')}</dt><dd>${t('requests.identifierVerified', { kind: request.nationalIdKind.toUpperCase() })}</dd>
      ${request.matchedAccountId === null ? '' : html`<dt>${t('requests.known')}</dt><dd>✓</dd>`}
    </dl>
    <form onSubmit=${(event) => { event.preventDefault(); decide('approve', { features: chosen }, 'requests.approved') }}>
      <${Choices} name=${`features-${request.id}`} legend=${t('requests.features')} options=${features.map(f => ({ value: f, label: f }))}
        selected=${chosen} onChange=${setChosen} error=${errors.features} />
      <button type="submit">${t('requests.approve')}</button>
    </form>
    <form onSubmit=${(event) => { event.preventDefault(); decide('reject', { reason }, 'requests.rejected') }}>
      <${Field} name=${`reason-${request.id}`} label=${t('requests.reason')} value=${reason} onInput=${setReason} error=${errors.reason} required />
      <button type="submit" class="danger">${t('requests.reject')}</button>
    </form>
  </article>`
}

export function LoginRequests ({ tenant, refreshPending }) {
  const [page, setPage] = useState({ items: [], total: 0 })
  const [offset, setOffset] = useState(0)
  const [features, setFeatures] = useState([])
  const [notice, setNotice] = useState()
  const [version, setVersion] = useState(0)
  useEffect(() => { api('GET', tenantApi(tenant, '/roles')).then(c => setFeatures(c.features), () => {}) }, [tenant])
  useEffect(() => {
    api('GET', tenantApi(tenant, `/login-requests${query({ status: 'pending', offset, limit: PAGE_SIZE })}`)).then(setPage, (error) => setNotice(errorsOf(error).notice))
  }, [tenant, offset, version])
  const onDecided = (result, decided = true) => {
    setNotice(result)
    if (decided) { setVersion(version + 1); refreshPending() }
  }
  return html`<${Heading}>${t('requests.title')}</${Heading}>
    <p>${t('requests.intro')}</p>
    <${Notice} notice=${notice} />
    ${page.items.length === 0 ? html`<p>${t('requests.empty')}</p>` : page.items.map(request => html`<${Request} key=${request.id} tenant=${tenant} request=${request} features=${features} onDecided=${onDecided} />`)}
    <${Pager} offset=${offset} limit=${PAGE_SIZE} total=${page.total} onPage=${setOffset} />`
}
