// What every signed-in person sees: who they are here, and what their roles give them.
import { html } from '/console/vendor/standalone.module.js'
import { t } from '../i18n.js'
import { Heading } from '../ui.js'

export function MyAccount ({ session }) {
  return html`<${Heading}>${t('me.title')}</${Heading}>
    <p>${t('me.signedInAs', { name: session.name ?? session.email })}</p>
    <dl class="facts">
      <dt>${t('accounts.email')}</dt><dd>${session.email ?? '–'}</dd>
      <dt>${t('me.organisation')}</dt><dd>${session.tenant.displayName}</dd>
      <dt>${t('me.roles')}</dt><dd>${session.roles.join(', ') || t('common.none')}</dd>
      <dt>${t('me.features')}</dt><dd>${session.features.join(', ') || t('common.none')}</dd>
    </dl>`
}
