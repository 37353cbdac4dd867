// The tenant's role catalogue, and its groups with their members and the roles/features they grant.
import { html, useEffect, useState } from '/console/vendor/standalone.module.js'
import { api, query, tenantApi } from '../api.js'
import { t } from '../i18n.js'
import { errorsOf, Heading, Notice, Pager } from '../ui.js'

const MEMBERS_PAGE = 50

function Members ({ tenant, group }) {
  const [offset, setOffset] = useState(0)
  const [page, setPage] = useState({ items: [], total: 0 })
  useEffect(() => { api('GET', tenantApi(tenant, `/groups/${group.id}/members${query({ offset, limit: MEMBERS_PAGE })}`)).then(setPage, () => {}) }, [group.id, offset])
  return html`<ul class="members">${page.items.map(member => html`<li>${member.display}${member.type === 'Group' ? ` (${t('roles.group')})` : ''}</li>`)}</ul>
    <${Pager} offset=${offset} limit=${MEMBERS_PAGE} total=${page.total} onPage=${setOffset} />`
}

/** The members load when someone opens the list, not for every group on the page. */
function MembersToggle ({ tenant, group }) {
  const [open, setOpen] = useState(false)
  return html`<details onToggle=${(event) => setOpen(event.currentTarget.open)}>
    <summary aria-label=${t('roles.showMembers', { name: group.displayName })}>${group.memberCount}</summary>
    ${open ? html`<${Members} tenant=${tenant} group=${group} />` : ''}</details>`
}

export function RolesAndGroups ({ tenant }) {
  const [catalogue, setCatalogue] = useState({ roles: [], features: [] })
  const [groups, setGroups] = useState([])
  const [notice, setNotice] = useState()
  useEffect(() => {
    api('GET', tenantApi(tenant, '/roles')).then(setCatalogue, (error) => setNotice(errorsOf(error).notice))
    api('GET', tenantApi(tenant, '/groups')).then(found => setGroups(found.items), () => {})
  }, [tenant])
  return html`<${Heading}>${t('roles.title')}</${Heading}>
    <${Notice} notice=${notice} />
    <h2>${t('roles.roles')}</h2>
    <table class="data"><thead><tr><th scope="col">${t('roles.key')}</th><th scope="col">${t('roles.name')}</th><th scope="col">${t('roles.permissions')}</th></tr></thead>
      <tbody>${catalogue.roles.map(role => html`<tr><td><code>${role.key}</code></td><th scope="row">${role.displayName}</th><td>${role.permissions.join(', ')}</td></tr>`)}</tbody>
    </table>
    <h2>${t('roles.groups')}</h2>
    ${groups.length === 0 ? html`<p>${t('roles.noGroups')}</p>` : html`<table class="data">
      <thead><tr><th scope="col">${t('roles.group')}</th><th scope="col">${t('roles.grants')}</th><th scope="col">${t('roles.members')}</th></tr></thead>
      <tbody>${groups.map(group => html`<tr>
        <th scope="row">${group.displayName}</th>
        <td>${[...group.roles, ...group.features].join(', ') || t('common.none')}</td>
        <td><${MembersToggle} tenant=${tenant} group=${group} /></td>
      </tr>`)}</tbody></table>`}`
}
