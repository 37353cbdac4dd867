import { NATIONAL_ID_KINDS, type NationalIdKind } from '../../identity/national-id.js'
import type { OidcProviderSettings } from '../../identity/oidc-client.js'
import type { SecretBox } from '../../identity/secret-box.js'
import { checkKnownFeatures } from '../access/catalogue.js'
import { invalid, notFound } from '../errors.js'
import type { ChangeContext } from '../lifecycle/change-context.js'
import { featuresOf, type Tenant } from '../tenants/tenant-service.js'
import type { EnrolmentStore, IdentityProviderRecord, NewIdentityProvider, ProviderPurpose } from './enrolment-store.js'

export interface ProviderInput {
  displayName?: string
  issuer: string
  clientId: string
  clientSecret: string
  purpose: ProviderPurpose
  policy?: 'auto' | 'review'
  autoCreate?: boolean
  nationalIdClaim?: string
  nationalIdKind?: NationalIdKind
  acrValues?: string[]
  scopes?: string
  defaultFeatures?: string[]
}

/** A provider's settings checked and completed with their defaults, ready to store. */
function checkedProvider (tenant: Tenant, input: ProviderInput, clientSecretSealed: string): NewIdentityProvider {
  const issuer = checkIssuer(input.issuer)
  if (input.purpose === 'patient-enrolment' && (input.nationalIdKind === undefined || !NATIONAL_ID_KINDS.includes(input.nationalIdKind))) {
    throw invalid(`A patient-enrolment provider needs the national identifier's kind (${NATIONAL_ID_KINDS.join(', ')})`, 'nationalIdKind')
  }
  if (input.clientId.trim() === '') throw invalid('The client id is required', 'clientId')
  checkKnownFeatures(input.defaultFeatures ?? [], featuresOf(tenant.settings))
  const displayName = input.displayName?.trim()
  return {
    tenantId: tenant.id,
    purpose: input.purpose,
    displayName: displayName === '' ? undefined : displayName,
    issuer,
    clientId: input.clientId.trim(),
    clientSecretSealed,
    scopes: input.scopes ?? (input.purpose === 'patient-enrolment' ? 'openid profile email national_id' : 'openid profile email'),
    policy: input.policy ?? 'review',
    autoCreate: input.autoCreate ?? false,
    nationalIdClaim: input.nationalIdClaim ?? input.nationalIdKind,
    nationalIdKind: input.nationalIdKind,
    acrValues: input.acrValues ?? [],
    defaultFeatures: input.defaultFeatures ?? []
  }
}

/** What the admin API and the CLI show of a provider: never its client secret. */
export type ProviderView = Omit<IdentityProviderRecord, 'clientSecretSealed' | 'tenantId' | 'createdAt'> & { createdAt: string }

/** A tenant's OpenID Providers (design.md: `carescim idp add`, admin API `idps`). */
export class IdentityProviders {
  constructor (private readonly store: EnrolmentStore, private readonly box: SecretBox) {}

  async add (tenant: Tenant, input: ProviderInput, context: ChangeContext): Promise<ProviderView> {
    if (input.clientSecret === '') throw invalid('The client secret is required', 'clientSecret')
    return viewOf(await this.store.addProvider(checkedProvider(tenant, input, this.box.seal(input.clientSecret)), context))
  }

  /** Changes a provider; the secret stays as it is unless a new one is given (it is never shown back). */
  async update (tenant: Tenant, id: string, changes: Partial<ProviderInput>, context: ChangeContext): Promise<ProviderView> {
    const current = await this.store.provider(tenant.id, id)
    if (current === undefined) throw notFound(`No identity provider ${id} in this tenant`)
    const newSecret = changes.clientSecret !== undefined && changes.clientSecret !== ''
    // The secret belongs to one client at one provider: sent elsewhere, it would reach whoever runs that issuer.
    const movesClient = (changes.issuer !== undefined && changes.issuer !== current.issuer) || (changes.clientId !== undefined && changes.clientId.trim() !== current.clientId)
    if (movesClient && !newSecret) throw invalid('A new issuer or client id needs its own client secret', 'clientSecret')
    const { clientSecretSealed, ...kept } = current
    // Settings that defaulted from the purpose or the identifier's kind follow a change of those.
    const derived = {
      ...(changes.purpose !== undefined && changes.purpose !== current.purpose && changes.scopes === undefined ? { scopes: undefined } : {}),
      ...(changes.nationalIdKind !== undefined && changes.nationalIdKind !== current.nationalIdKind && changes.nationalIdClaim === undefined && current.nationalIdClaim === current.nationalIdKind ? { nationalIdClaim: undefined } : {})
    }
    const input: ProviderInput = { ...kept, displayName: kept.displayName ?? '', clientSecret: '', ...derived, ...changes }
    const sealed = newSecret ? this.box.seal(changes.clientSecret!) : clientSecretSealed
    const updated = await this.store.updateProvider(tenant.id, id, checkedProvider(tenant, input, sealed), context)
    if (updated === undefined) throw notFound(`No identity provider ${id} in this tenant`)
    return viewOf(updated)
  }

  async list (tenant: Tenant): Promise<ProviderView[]> {
    return (await this.store.providers(tenant.id)).map(viewOf)
  }

  async remove (tenant: Tenant, id: string, context: ChangeContext): Promise<void> {
    if (!await this.store.removeProvider(tenant.id, id, context)) throw notFound(`No identity provider ${id} in this tenant`)
  }

  /** The tenant's provider for a purpose (the first registered), with its secret opened for the OIDC client. */
  async forPurpose (tenant: Tenant, purpose: ProviderPurpose): Promise<{ record: IdentityProviderRecord, settings: OidcProviderSettings } | undefined> {
    const [record] = await this.store.providers(tenant.id, purpose)
    return record === undefined ? undefined : { record, settings: this.settingsOf(record) }
  }

  async byId (tenant: Tenant, id: string): Promise<{ record: IdentityProviderRecord, settings: OidcProviderSettings } | undefined> {
    const record = await this.store.provider(tenant.id, id)
    return record === undefined ? undefined : { record, settings: this.settingsOf(record) }
  }

  private settingsOf (record: IdentityProviderRecord): OidcProviderSettings {
    return { id: record.id, issuer: record.issuer, clientId: record.clientId, clientSecret: this.box.open(record.clientSecretSealed), scopes: record.scopes, acrValues: record.acrValues }
  }
}

function checkIssuer (issuer: string): string {
  let url: URL
  try {
    url = new URL(issuer)
  } catch {
    throw invalid(`The issuer "${issuer}" is not a URL`, 'issuer')
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw invalid('The issuer must be an https:// URL (plain http only on this machine, for development)', 'issuer')
  return issuer // exactly as given: discovery compares it with the provider's own, trailing slash and all
}

function viewOf (record: IdentityProviderRecord): ProviderView {
  const { clientSecretSealed: _secret, tenantId: _tenant, createdAt, ...view } = record
  return { ...view, createdAt: createdAt.toISOString() }
}
