// The accounts table (Recare's "Nutzerverwaltung", Flux's "Gebruikers") and the account form (add / edit).
// Paged, sorted and filtered by the server: a tenant of 100,000 accounts is never loaded whole.
import { html, useEffect, useState } from '/console/vendor/standalone.module.js'
import { api, query, tenantApi } from '../api.js'
import { formatDateTime, t } from '../i18n.js'
import { Choices, displayName, errorsOf, Field, Heading, Link, navigate, Notice, Pager, Select } from '../ui.js'

const PAGE_SIZE = 25
const COLUMNS = [
  { key: 'number' }, { key: 'name', sort: 'name' }, { key: 'email', sort: 'email' }, { key: 'roles' }, { key: 'features' },
  { key: 'status', sort: 'status' }, { key: 'lastActivity', sort: 'lastActivity' }
]
const HEALTHCARE_FIELDS = ['agbCode', 'bigNumber', 'uziNumber', 'lanr', 'efn', 'dkAuthorisationId', 'terhikkiNumber', 'discipline',
  'initials', 'namePrefix', 'birthName', 'birthNamePrefix', 'supervisingUser']
const PERSONAL_FIELDS = ['givenName', 'familyName', 'displayName', 'phone', 'title', 'preferredLanguage']

function useCatalogue (tenant) {
  const [catalogue, setCatalogue] = useState({ roles: [], features: [] })
  useEffect(() => { api('GET', tenantApi(tenant, '/roles')).then(setCatalogue, () => {}) }, [tenant])
  return catalogue
}

function SortHeader ({ column, sort, order, onSort }) {
  const label = t(`accounts.${column.key}`)
  if (column.sort === undefined) return html`<th scope="col">${label}</th>`
  const active = sort === column.sort
  return html`<th scope="col" aria-sort=${active ? (order === 'asc' ? 'ascending' : 'descending') : undefined}>
    <button type="button" class="sort" onClick=${() => onSort(column.sort, active && order === 'asc' ? 'desc' : 'asc')}>
      ${label}${active ? html`<span aria-hidden="true">${order === 'asc' ? ' ▲' : ' ▼'}</span>` : ''}</button></th>`
}

function RowMenu ({ tenant, row, onDone }) {
  const name = displayName(row)
  const act = async (change, message) => {
    if (change === 'deactivate' && !confirm(t('accounts.confirmDeactivate', { name }))) return
    try {
      await api('POST', tenantApi(tenant, `/accounts/${row.id}/${change}`))
      onDone({ text: t(message, { name }) })
    } catch (error) {
      onDone(errorsOf(error).notice)
    }
  }
  return html`<details class="menu"><summary aria-label=${t('accounts.menu', { name })}>⋯</summary><ul>
    <li><${Link} href=${`/console/${encodeURIComponent(tenant)}/accounts/${row.id}`}>${t('accounts.edit')}</${Link}></li>
    ${row.status === 'inactive'
      ? html`<li><button type="button" onClick=${() => act('reactivate', 'accounts.reactivated')}>${t('accounts.reactivate')}</button></li>`
      : html`<li><button type="button" onClick=${() => act('deactivate', 'accounts.deactivated')}>${t('accounts.deactivate')}</button></li>`}
    ${row.status === 'created' ? html`<li><button type="button" onClick=${() => act('resend-activation', 'accounts.resent')}>${t('accounts.resend')}</button></li>` : ''}
  </ul></details>`
}

export function Accounts ({ tenant, session, route }) {
  const catalogue = useCatalogue(tenant)
  const initialNotice = route.search?.get('created') === null ? undefined : { text: t('account.new.created', { name: route.search.get('created') }) }
  const [filters, setFilters] = useState({ search: '', status: '', role: '', sort: 'name', order: 'asc', offset: 0 })
  const [searchText, setSearchText] = useState('')
  const [page, setPage] = useState({ items: [], total: 0 })
  const [notice, setNotice] = useState(initialNotice)
  const [version, setVersion] = useState(0)
  useEffect(() => {
    api('GET', tenantApi(tenant, `/accounts${query({ ...filters, limit: PAGE_SIZE })}`)).then(setPage, (error) => setNotice(errorsOf(error).notice))
  }, [tenant, filters, version])
  const change = (patch) => setFilters({ ...filters, offset: 0, ...patch })
  const mayWrite = session.permissions.includes('accounts.write')
  const statusOptions = [{ value: '', label: t('common.all') }, ...['created', 'active', 'inactive'].map(s => ({ value: s, label: t(`status.${s}`) }))]
  const roleOptions = [{ value: '', label: t('common.all') }, ...catalogue.roles.map(r => ({ value: r.key, label: r.displayName }))]
  const sortLabel = t(`accounts.${COLUMNS.find(c => c.sort === filters.sort)?.key ?? 'name'}`)
  return html`<${Heading}>${t('accounts.title')}</${Heading}>
    <${Notice} notice=${notice} />
    <div class="toolbar">
      <form role="search" onSubmit=${(event) => { event.preventDefault(); change({ search: searchText.trim() }) }}>
        <${Field} name="search" type="search" label=${t('accounts.search')} value=${searchText} onInput=${setSearchText} />
        <button type="submit">${t('common.apply')}</button>
      </form>
      <${Select} name="status" label=${t('accounts.status')} value=${filters.status} options=${statusOptions} onChange=${(status) => change({ status })} />
      <${Select} name="role" label=${t('accounts.role')} value=${filters.role} options=${roleOptions} onChange=${(role) => change({ role })} />
      ${mayWrite ? html`<${Link} class="button" href=${`/console/${encodeURIComponent(tenant)}/accounts/new`}>${t('accounts.add')}</${Link}>` : ''}
    </div>
    <table class="data">
      <caption>${t('accounts.caption', { tenant: session.tenant.displayName, column: sortLabel })}</caption>
      <thead><tr>${COLUMNS.map(column => html`<${SortHeader} column=${column} sort=${filters.sort} order=${filters.order} onSort=${(sort, order) => change({ sort, order })} />`)}
        ${mayWrite ? html`<th scope="col"><span class="visually-hidden">${t('common.actions')}</span></th>` : ''}</tr></thead>
      <tbody>
        ${page.items.length === 0 ? html`<tr><td colspan=${COLUMNS.length + (mayWrite ? 1 : 0)}>${t('accounts.empty')}</td></tr>` : page.items.map(row => html`<tr data-account=${row.email ?? row.id}>
          <td>${row.registrationNumber}</td>
          <th scope="row">${displayName(row)}</th>
          <td>${row.email ?? ''}</td>
          <td>${row.roles.join(', ')}</td>
          <td>${row.features.join(', ')}</td>
          <td><span class=${`status status-${row.status}`}>${t(`status.${row.status}`)}</span></td>
          <td>${row.lastActivityAt === null ? t('accounts.never') : formatDateTime(row.lastActivityAt)}</td>
          ${mayWrite ? html`<td><${RowMenu} tenant=${tenant} row=${row} onDone=${(result) => { setNotice(result); setVersion(version + 1) }} /></td>` : ''}
        </tr>`)}
      </tbody>
    </table>
    <${Pager} offset=${filters.offset} limit=${PAGE_SIZE} total=${page.total} onPage=${(offset) => setFilters({ ...filters, offset })} />`
}

/** The form's values → the API's body; blank optional fields are left out (on edit, '' clears a value). */
function bodyOf (values, creating) {
  const body = { roles: values.roles, features: values.features }
  for (const field of PERSONAL_FIELDS) if (!creating || values[field] !== '') body[field] = values[field]
  const healthcare = {}
  for (const field of HEALTHCARE_FIELDS) if (!creating || values.healthcare[field] !== '') healthcare[field] = values.healthcare[field]
  if (Object.keys(healthcare).length > 0) body.healthcare = healthcare
  return body
}

function emptyValues () {
  return { email: '', roles: [], features: [], healthcare: Object.fromEntries(HEALTHCARE_FIELDS.map(f => [f, ''])), ...Object.fromEntries(PERSONAL_FIELDS.map(f => [f, ''])) }
}

function valuesOf (account) {
  return {
    ...emptyValues(),
    ...Object.fromEntries(PERSONAL_FIELDS.map(f => [f, account[f] ?? ''])),
    email: account.email ?? '',
    roles: account.roles,
    features: account.features,
    healthcare: { ...emptyValues().healthcare, ...account.healthcare },
    registrationNumber: account.registrationNumber
  }
}

/** "Add account" starts with the email (checked first); then the details: name and at least one role. */
export function AccountForm ({ tenant, id }) {
  const creating = id === 'new'
  const catalogue = useCatalogue(tenant)
  const [values, setValues] = useState(emptyValues())
  const [emailStatus, setEmailStatus] = useState(creating ? undefined : 'member')
  const [errors, setErrors] = useState({})
  const [notice, setNotice] = useState()
  // An edit form shows once the account is there: typed into the empty form, a value was overwritten when the
  // account arrived, and a save before that failed for want of roles.
  const [loaded, setLoaded] = useState(creating)
  useEffect(() => {
    if (!creating) {
      api('GET', tenantApi(tenant, `/accounts/${id}`)).then(account => { setValues(valuesOf(account)); setLoaded(true) }, (error) => setNotice(errorsOf(error).notice))
    }
  }, [tenant, id])
  const set = (field) => (value) => setValues({ ...values, [field]: value })
  const setHealthcare = (field) => (value) => setValues({ ...values, healthcare: { ...values.healthcare, [field]: value } })
  const fail = (error) => { const { fields, notice } = errorsOf(error); setErrors(fields); setNotice(notice) }

  const checkEmail = async (event) => {
    event.preventDefault()
    try {
      const checked = await api('POST', tenantApi(tenant, '/accounts/check-email'), { email: values.email })
      setErrors({})
      setEmailStatus(checked.status)
      setValues({ ...values, email: checked.email })
      setNotice(checked.status === 'member' ? { error: true, text: t('account.new.status.member') } : { text: t(`account.new.status.${checked.status}`) })
    } catch (error) { fail(error) }
  }
  const save = async (event) => {
    event.preventDefault()
    if (values.roles.length === 0) return fail({ field: 'roles', message: t('account.rolesRequired') })
    try {
      if (creating) {
        const created = await api('POST', tenantApi(tenant, '/accounts'), { email: values.email, ...bodyOf(values, true) })
        navigate(`/console/${encodeURIComponent(tenant)}/accounts?created=${encodeURIComponent(displayName(created))}`)
      } else {
        setValues(valuesOf(await api('PATCH', tenantApi(tenant, `/accounts/${id}`), bodyOf(values, false))))
        setErrors({})
        setNotice({ text: t('account.saved') })
      }
    } catch (error) { fail(error) }
  }

  if (!loaded) return html`<${Notice} notice=${notice} />${notice === undefined ? html`<p>${t('common.loading')}</p>` : ''}`
  const title = creating ? t('account.new.title') : t('account.edit.title', { name: displayName(values) })
  if (creating && (emailStatus === undefined || emailStatus === 'member')) {
    return html`<${Heading}>${title}</${Heading}><${Notice} notice=${notice} />
      <form class="narrow" onSubmit=${checkEmail} novalidate>
        <p>${t('account.new.emailStep')}</p>
        <${Field} name="email" type="email" label=${t('accounts.email')} value=${values.email} onInput=${set('email')} error=${errors.email} required autocomplete="off" />
        <button type="submit">${t('account.new.check')}</button>
      </form>`
  }
  const field = (name, required = false) => html`<${Field} name=${name} label=${t(`account.${name}`)} value=${values[name]} onInput=${set(name)} error=${errors[name]} required=${required} />`
  return html`<${Heading}>${title}</${Heading}><${Notice} notice=${notice} />
    <form class="account" onSubmit=${save} novalidate>
      <${Field} name="email" label=${t('account.email')} value=${values.email} readOnly />
      ${field('givenName', true)}${field('familyName', true)}${field('displayName')}${field('phone')}${field('title')}${field('preferredLanguage')}
      <${Choices} name="roles" legend=${t('account.roles')} required options=${catalogue.roles.map(r => ({ value: r.key, label: r.displayName }))}
        selected=${values.roles} onChange=${set('roles')} error=${errors.roles} />
      <${Choices} name="features" legend=${t('account.features')} options=${catalogue.features.map(f => ({ value: f, label: f }))}
        selected=${values.features} onChange=${set('features')} error=${errors.features} />
      <fieldset><legend>${t('account.healthcare')}</legend>
        ${values.registrationNumber === undefined ? '' : html`<${Field} name="registrationNumber" label=${t('hc.registrationNumber')} value=${values.registrationNumber} readOnly />`}
        ${HEALTHCARE_FIELDS.map(name => html`<${Field} name=${`healthcare.${name}`} label=${t(`hc.${name}`)} value=${values.healthcare[name]}
          onInput=${setHealthcare(name)} error=${errors[`healthcare.${name}`]} />`)}
      </fieldset>
      <div class="actions">
        <button type="submit">${creating ? t('account.new.create') : t('common.save')}</button>
        <${Link} href=${`/console/${encodeURIComponent(tenant)}/accounts`}>${t('common.cancel')}</${Link}>
      </div>
    </form>`
}
