// The console: one small Preact app (htm templates, no build step) on the admin API.
import { html, render, useEffect, useState } from '/console/vendor/standalone.module.js'
import { api, onSessionEnded, tenantApi } from './api.js'
import { currentLanguage, LANGUAGES, preferredLanguage, switchLanguage, t } from './i18n.js'
import { Link, navigate, Notice, setNavigator } from './ui.js'
import { Activate, ChooseTenant, Forgot, SignIn } from './views/auth.js'
import { AccountForm, Accounts } from './views/accounts.js'
import { LoginRequests } from './views/login-requests.js'
import { RolesAndGroups } from './views/roles.js'
import { AuditLog } from './views/audit.js'
import { IdentityProviders } from './views/idps.js'
import { MyAccount } from './views/me.js'

/** /console/{tenant}/{view}/{id}: the tenant and the view, from the address (links work, reloads keep the page). */
function routeOf (url) {
  if (url.pathname === '/activate') return { view: 'activate' }
  const [, , tenant, view = '', id] = url.pathname.split('/').map(part => { try { return decodeURIComponent(part) } catch { return part } })
  return { tenant, view, id, search: url.searchParams }
}

/** Signed-in views, their permission and their place in the navigation. */
const SECTIONS = [
  { view: 'accounts', label: 'nav.accounts', permission: 'accounts.read' },
  { view: 'login-requests', label: 'nav.loginRequests', permission: 'login-requests.review' },
  { view: 'roles', label: 'nav.roles', permission: 'accounts.read' },
  { view: 'audit', label: 'nav.audit', permission: 'audit.read' },
  { view: 'idps', label: 'nav.idps', permission: 'idps.manage' },
  { view: 'me', label: 'nav.me' }
]

function LanguageSwitch ({ onSwitch }) {
  const names = { en: 'English', nl: 'Nederlands', de: 'Deutsch', da: 'Dansk', fi: 'Suomi' }
  return html`<div class="language"><label for="language">${t('lang.label')}</label>
    <select id="language" onChange=${(event) => onSwitch(event.currentTarget.value)}>
      ${LANGUAGES.map(lang => html`<option value=${lang} lang=${lang} selected=${lang === currentLanguage()}>${names[lang]}</option>`)}
    </select></div>`
}

function Layout ({ route, session, pending, onSwitchLanguage, children }) {
  const signOut = async () => {
    await api('DELETE', '/auth/session', undefined, { signedIn: false })
    navigate(`/console/${encodeURIComponent(route.tenant)}/sign-in?signedOut=1`)
  }
  const allowed = SECTIONS.filter(section => section.permission === undefined || session.permissions.includes(section.permission))
  return html`<a class="skip" href="#content">${t('app.skip')}</a>
    <header class="top">
      <span class="brand">${t('app.name')} · ${session.tenant.displayName}</span>
      <nav aria-label=${t('nav.label')}><ul>
        ${allowed.map(section => html`<li><${Link} href=${`/console/${encodeURIComponent(route.tenant)}/${section.view}`} aria-current=${route.view === section.view ? 'page' : undefined}>
          ${t(section.label)}${section.view === 'login-requests' && pending > 0 ? html` <span class="badge">${t('nav.pending', { count: pending })}</span>` : ''}
        </${Link}></li>`)}
      </ul></nav>
      <${LanguageSwitch} onSwitch=${onSwitchLanguage} />
      <span class="who">${session.name ?? session.email}</span>
      <button type="button" class="link-button" onClick=${signOut}>${t('nav.signOut')}</button>
    </header>
    <main id="content">${children}</main>`
}

function SignedIn ({ route, onSwitchLanguage }) {
  const [session, setSession] = useState(null)
  const [failure, setFailure] = useState(null)
  const [pending, setPending] = useState(0)
  const tenant = route.tenant
  const refreshPending = async (permissions = session?.permissions ?? []) => {
    if (!permissions.includes('login-requests.review')) return
    setPending((await api('GET', tenantApi(tenant, '/login-requests?status=pending&limit=1'))).total)
  }
  // Every navigation asks the server again: a deactivated account is signed out on its next action.
  useEffect(() => {
    api('GET', tenantApi(tenant, '/session')).then(async (found) => {
      setSession(found)
      await refreshPending(found.permissions)
    }).catch((error) => { if (error.status !== 401) setFailure(error) })
  }, [tenant, route.view, route.id])
  // e.g. signed in to another organisation: say so, and offer this one's sign-in (a 401 went to sign-in already)
  if (failure !== null && session === null) {
    return html`<main class="narrow"><${Notice} notice=${{ error: true, text: failure.status === 403 ? t('common.forbidden') : t('common.error', { message: failure.message }) }} />
      <p><${Link} href=${`/console/${encodeURIComponent(tenant)}/sign-in`}>${t('signin.submit')}</${Link}></p></main>`
  }
  if (session === null) return html`<main><p>${t('common.loading')}</p></main>`
  const start = session.permissions.includes('accounts.read') ? 'accounts' : 'me'
  const view = route.view === '' ? start : route.view
  const props = { tenant, session, route, refreshPending }
  const content = {
    accounts: route.id === undefined ? html`<${Accounts} ...${props} />` : html`<${AccountForm} ...${props} id=${route.id} />`,
    'login-requests': html`<${LoginRequests} ...${props} />`,
    roles: html`<${RolesAndGroups} ...${props} />`,
    audit: html`<${AuditLog} ...${props} />`,
    idps: html`<${IdentityProviders} ...${props} />`,
    me: html`<${MyAccount} ...${props} />`
  }[view] ?? html`<${MyAccount} ...${props} />`
  return html`<${Layout} route=${{ ...route, view }} session=${session} pending=${pending} onSwitchLanguage=${onSwitchLanguage}>${content}</${Layout}>`
}

function App () {
  const [url, setUrl] = useState(new URL(location.href))
  const [, setLanguage] = useState(currentLanguage())
  useEffect(() => {
    setNavigator((path) => { history.pushState(null, '', path); setUrl(new URL(location.href)) })
    const onPop = () => setUrl(new URL(location.href))
    addEventListener('popstate', onPop)
    return () => removeEventListener('popstate', onPop)
  }, [])
  const route = routeOf(url)
  useEffect(() => {
    onSessionEnded(() => navigate(`/console/${encodeURIComponent(route.tenant)}/sign-in?ended=1`))
  }, [route.tenant])
  const onSwitchLanguage = async (lang) => { await switchLanguage(lang, { remember: true }); setLanguage(lang) }
  const language = html`<div class="corner">${html`<${LanguageSwitch} onSwitch=${onSwitchLanguage} />`}</div>`
  if (route.view === 'activate') return html`${language}<${Activate} search=${url.searchParams} />`
  if (route.tenant === undefined || route.tenant === '') return html`${language}<${ChooseTenant} />`
  if (route.view === 'sign-in') return html`${language}<${SignIn} tenant=${route.tenant} search=${url.searchParams} />`
  if (route.view === 'forgot') return html`${language}<${Forgot} tenant=${route.tenant} />`
  return html`<${SignedIn} route=${route} onSwitchLanguage=${onSwitchLanguage} />`
}

await switchLanguage(preferredLanguage())
const root = document.getElementById('app')
root.textContent = ''
render(html`<${App} />`, root)
