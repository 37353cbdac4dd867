// Before sign-in: choose the organisation, sign in (password or the organisation's IdP), forgot password, activation.
import { html, useEffect, useState } from '/console/vendor/standalone.module.js'
import { api, ApiError } from '../api.js'
import { t } from '../i18n.js'
import { errorsOf, Field, Heading, Link, navigate, Notice } from '../ui.js'

/** The password policy the server applies (src/identity/password-policy.ts), shown before it refuses. */
const PASSWORD_MIN_LENGTH = 12

export function ChooseTenant () {
  const [slug, setSlug] = useState('')
  const submit = (event) => { event.preventDefault(); navigate(`/console/${encodeURIComponent(slug.trim())}/sign-in`) }
  return html`<main class="narrow"><${Heading}>${t('choose.title')}</${Heading}>
    <form onSubmit=${submit}>
      <${Field} name="tenant" label=${t('choose.slug')} value=${slug} onInput=${setSlug} required autocomplete="organization" />
      <button type="submit">${t('choose.submit')}</button>
    </form></main>`
}

export function SignIn ({ tenant, search }) {
  const [options, setOptions] = useState(null)
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const initial = search.get('ended') !== null ? { text: t('session.ended') } : search.get('signedOut') !== null ? { text: t('session.signedOut') } : undefined
  const [notice, setNotice] = useState(initial)
  useEffect(() => {
    api('GET', `/auth/sign-in-options/${encodeURIComponent(tenant)}`, undefined, { signedIn: false })
      .then(setOptions, () => setNotice({ error: true, text: t('signin.unknownTenant') }))
  }, [tenant])
  const submit = async (event) => {
    event.preventDefault()
    try {
      await api('POST', '/auth/session', { tenant, email, password }, { signedIn: false })
      navigate(`/console/${encodeURIComponent(tenant)}`)
    } catch (error) {
      setNotice(error instanceof ApiError && error.status === 401 ? { error: true, text: t('signin.failed') } : errorsOf(error).notice)
    }
  }
  const name = options?.displayName ?? tenant
  return html`<main class="narrow"><${Heading}>${t('signin.title', { tenant: name })}</${Heading}>
    <${Notice} notice=${notice} />
    ${options?.password === false ? html`<p>${t('signin.ssoOnly')}</p>` : html`<form onSubmit=${submit}>
      <${Field} name="email" type="email" label=${t('signin.email')} value=${email} onInput=${setEmail} required autocomplete="username" />
      <${Field} name="password" type="password" label=${t('signin.password')} value=${password} onInput=${setPassword} required autocomplete="current-password" />
      <button type="submit">${t('signin.submit')}</button>
      <p><${Link} href=${`/console/${encodeURIComponent(tenant)}/forgot`}>${t('signin.forgot')}</${Link}></p>
    </form>`}
    ${options?.provider == null ? '' : html`<p class="or">${t('signin.or')}</p>
      <p><a class="button secondary" href=${options.provider.startUrl}>${t('signin.with', { provider: options.provider.name })}</a></p>`}
  </main>`
}

export function Forgot ({ tenant }) {
  const [email, setEmail] = useState('')
  const [notice, setNotice] = useState()
  const [errors, setErrors] = useState({})
  const submit = async (event) => {
    event.preventDefault()
    try {
      await api('POST', '/auth/forgot', { tenant, email }, { signedIn: false })
      setErrors({})
      setNotice({ text: t('forgot.sent') })
    } catch (error) {
      const { fields, notice } = errorsOf(error)
      setErrors(fields)
      setNotice(notice)
    }
  }
  return html`<main class="narrow"><${Heading}>${t('forgot.title')}</${Heading}>
    <p>${t('forgot.intro')}</p>
    <${Notice} notice=${notice} />
    <form onSubmit=${submit}>
      <${Field} name="email" type="email" label=${t('signin.email')} value=${email} onInput=${setEmail} error=${errors.email} required autocomplete="username" />
      <button type="submit">${t('forgot.submit')}</button>
    </form>
    <p><${Link} href=${`/console/${encodeURIComponent(tenant)}/sign-in`}>${t('forgot.back')}</${Link}></p>
  </main>`
}

/** The page of the activation (or reset) mail's link: the token stays in the address, never in a log. */
export function Activate ({ search }) {
  // Read once, then taken out of the address bar and the history (it is a password-setting secret).
  const [token] = useState(() => search.get('token') ?? '')
  const tenant = search.get('tenant')
  useEffect(() => { history.replaceState(null, '', tenant === null ? '/activate' : `/activate?tenant=${encodeURIComponent(tenant)}`) }, [])
  const [password, setPassword] = useState('')
  const [repeat, setRepeat] = useState('')
  const [errors, setErrors] = useState({})
  const [notice, setNotice] = useState(token === '' ? { error: true, text: t('activate.missingToken') } : undefined)
  const [done, setDone] = useState(false)
  const submit = async (event) => {
    event.preventDefault()
    if (password.length < PASSWORD_MIN_LENGTH) return setErrors({ password: t('activate.tooShort', { min: PASSWORD_MIN_LENGTH }) })
    if (password !== repeat) return setErrors({ repeat: t('activate.mismatch') })
    try {
      await api('POST', '/auth/activate', { token, password }, { signedIn: false })
      setErrors({})
      setDone(true)
      setNotice({ text: t('activate.done') })
    } catch (error) {
      setErrors({})
      setNotice({ error: true, text: error.message })
    }
  }
  return html`<main class="narrow"><${Heading}>${t('activate.title')}</${Heading}>
    <${Notice} notice=${notice} />
    ${done ? '' : html`<form onSubmit=${submit}>
      <${Field} name="password" type="password" label=${t('activate.password')} hint=${t('activate.policy', { min: PASSWORD_MIN_LENGTH })}
        value=${password} onInput=${setPassword} error=${errors.password} required autocomplete="new-password" minlength=${PASSWORD_MIN_LENGTH} />
      <${Field} name="repeat" type="password" label=${t('activate.confirm')} value=${repeat} onInput=${setRepeat} error=${errors.repeat} required autocomplete="new-password" />
      <button type="submit" disabled=${token === ''}>${t('activate.submit')}</button>
    </form>`}
    ${done && tenant !== null ? html`<p><${Link} class="button" href=${`/console/${encodeURIComponent(tenant)}/sign-in`}>${t('signin.submit')}</${Link}></p>` : ''}
  </main>`
}
