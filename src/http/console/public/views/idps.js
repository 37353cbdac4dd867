// The tenant's OpenID Providers: list, add, edit; the client secret is write-only (never shown back).
import { html, useEffect, useState } from '/console/vendor/standalone.module.js'
import { api, tenantApi } from '../api.js'
import { t } from '../i18n.js'
import { errorsOf, Field, Heading, Notice, Select } from '../ui.js'

const BLANK = { displayName: '', issuer: '', clientId: '', clientSecret: '', purpose: 'staff-sign-in', policy: 'review', autoCreate: false, nationalIdKind: '', nationalIdClaim: '', acrValues: '', defaultFeatures: '' }
const list = (text) => text.split(',').map(s => s.trim()).filter(Boolean)

function formOf (provider) {
  return { ...BLANK, ...provider, displayName: provider.displayName ?? '', clientSecret: '', nationalIdKind: provider.nationalIdKind ?? '', nationalIdClaim: provider.nationalIdClaim ?? '', acrValues: provider.acrValues.join(', '), defaultFeatures: provider.defaultFeatures.join(', ') }
}

function bodyOf (form, editing) {
  const body = { displayName: form.displayName, issuer: form.issuer, clientId: form.clientId, purpose: form.purpose, acrValues: list(form.acrValues) }
  if (!editing || form.clientSecret !== '') body.clientSecret = form.clientSecret
  if (form.purpose === 'patient-enrolment') {
    Object.assign(body, { policy: form.policy, autoCreate: form.autoCreate, defaultFeatures: list(form.defaultFeatures) })
    if (form.nationalIdKind !== '') body.nationalIdKind = form.nationalIdKind
    if (form.nationalIdClaim !== '') body.nationalIdClaim = form.nationalIdClaim
  }
  return body
}

function ProviderForm ({ tenant, provider, onSaved, onCancel }) {
  const editing = provider !== undefined
  const [form, setForm] = useState(editing ? formOf(provider) : BLANK)
  const [errors, setErrors] = useState({})
  const [notice, setNotice] = useState()
  const set = (field) => (value) => setForm({ ...form, [field]: value })
  const save = async (event) => {
    event.preventDefault()
    try {
      await (editing ? api('PATCH', tenantApi(tenant, `/idps/${provider.id}`), bodyOf(form, true)) : api('POST', tenantApi(tenant, '/idps'), bodyOf(form, false)))
      onSaved()
    } catch (error) {
      const { fields, notice } = errorsOf(error)
      setErrors(fields)
      setNotice(notice)
    }
  }
  const patient = form.purpose === 'patient-enrolment'
  return html`<form class="card" onSubmit=${save}>
    <h2>${editing ? t('idps.edit') : t('idps.add')}</h2>
    <${Notice} notice=${notice} />
    <${Select} name="purpose" label=${t('idps.purpose')} value=${form.purpose} onChange=${set('purpose')}
      options=${['staff-sign-in', 'patient-enrolment'].map(p => ({ value: p, label: t(`idps.purpose.${p}`) }))} />
    <${Field} name="displayName" label=${t('idps.displayName')} value=${form.displayName} onInput=${set('displayName')} error=${errors.displayName} />
    <${Field} name="issuer" type="url" label=${t('idps.issuer')} value=${form.issuer} onInput=${set('issuer')} error=${errors.issuer} required />
    <${Field} name="clientId" label=${t('idps.clientId')} value=${form.clientId} onInput=${set('clientId')} error=${errors.clientId} required />
    <${Field} name="clientSecret" type="password" label=${t('idps.clientSecret')} value=${form.clientSecret} onInput=${set('clientSecret')}
      error=${errors.clientSecret} required=${!editing} autocomplete="off" hint=${editing ? t('idps.secretKept') : undefined} />
    <${Field} name="acrValues" label=${t('idps.acrValues')} value=${form.acrValues} onInput=${set('acrValues')} error=${errors.acrValues} />
    ${patient ? html`
      <${Select} name="policy" label=${t('idps.policy')} value=${form.policy} onChange=${set('policy')} options=${['review', 'auto'].map(p => ({ value: p, label: t(`idps.policy.${p}`) }))} />
      <div class="field"><label class="choice"><input type="checkbox" checked=${form.autoCreate} onChange=${(event) => set('autoCreate')(event.currentTarget.checked)} /> ${t('idps.autoCreate')}</label></div>
      <${Select} name="nationalIdKind" label=${t('idps.nationalIdKind')} value=${form.nationalIdKind} onChange=${set('nationalIdKind')}
        options=${['', 'bsn', 'cpr', 'hetu', 'kvnr'].map(k => ({ value: k, label: k.toUpperCase() || '–' }))} />
      <${Field} name="nationalIdClaim" label=${t('idps.nationalIdClaim')} value=${form.nationalIdClaim} onInput=${set('nationalIdClaim')} error=${errors.nationalIdClaim} />
      <${Field} name="defaultFeatures" label=${t('idps.defaultFeatures')} value=${form.defaultFeatures} onInput=${set('defaultFeatures')} error=${errors.defaultFeatures ?? errors.features} />` : ''}
    <div class="actions"><button type="submit">${t('common.save')}</button><button type="button" class="secondary" onClick=${onCancel}>${t('common.cancel')}</button></div>
  </form>`
}

export function IdentityProviders ({ tenant }) {
  const [providers, setProviders] = useState([])
  const [editing, setEditing] = useState(null)
  const [notice, setNotice] = useState()
  const [version, setVersion] = useState(0)
  useEffect(() => { api('GET', tenantApi(tenant, '/idps')).then(found => setProviders(found.items), (error) => setNotice(errorsOf(error).notice)) }, [tenant, version])
  const saved = () => { setEditing(null); setNotice({ text: t('idps.saved') }); setVersion(version + 1) }
  const remove = async (provider) => {
    const name = provider.displayName ?? provider.issuer
    if (!confirm(t('idps.confirmRemove', { name }))) return
    try {
      await api('DELETE', tenantApi(tenant, `/idps/${provider.id}`))
      setVersion(version + 1)
    } catch (error) { setNotice(errorsOf(error).notice) }
  }
  return html`<${Heading}>${t('idps.title')}</${Heading}>
    <${Notice} notice=${notice} />
    ${providers.length === 0 ? html`<p>${t('idps.empty')}</p>` : html`<table class="data">
      <thead><tr><th scope="col">${t('idps.displayName')}</th><th scope="col">${t('idps.purpose')}</th><th scope="col">${t('idps.issuer')}</th>
        <th scope="col">${t('idps.policy')}</th><th scope="col"><span class="visually-hidden">${t('common.actions')}</span></th></tr></thead>
      <tbody>${providers.map(provider => html`<tr>
        <th scope="row">${provider.displayName ?? '–'}</th><td>${t(`idps.purpose.${provider.purpose}`)}</td><td>${provider.issuer}</td>
        <td>${provider.purpose === 'patient-enrolment' ? t(`idps.policy.${provider.policy}`) : ''}</td>
        <td><button type="button" onClick=${() => setEditing(provider)}>${t('idps.edit')}</button>
          <button type="button" class="danger" onClick=${() => remove(provider)}>${t('idps.remove')}</button></td>
      </tr>`)}</tbody></table>`}
    ${editing === null ? html`<button type="button" onClick=${() => setEditing(undefined)}>${t('idps.add')}</button>`
      : html`<${ProviderForm} key=${editing?.id ?? 'new'} tenant=${tenant} provider=${editing} onSaved=${saved} onCancel=${() => setEditing(null)} />`}`
}
