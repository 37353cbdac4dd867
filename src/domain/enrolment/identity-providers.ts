import { NATIONAL_ID_KINDS, type NationalIdKind } from '../../identity/national-id.js'
import type { OidcProviderSettings } from '../../identity/oidc-client.js'
import type { SecretBox } from '../../identity/secret-box.js'
import { checkKnownFeatures } from '../access/catalogue.js'
import { invalid, notFound } from '../errors.js'
import type { ChangeContext } from '../lifecycle/change-context.js'
import { featuresOf, type Tenant } from '../tenants/tenant-service.js'
import type { EnrolmentStore, IdentityProviderRecord, ProviderPurpose } from './enrolment-store.js'

export interface ProviderInput {
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

/** What the admin API and the CLI show of a provider: never its client secret. */
export type ProviderView = Omit<IdentityProviderRecord, 'clientSecretSealed' | 'tenantId' | 'createdAt'> & { createdAt: string }

/** A tenant's OpenID Providers (design.md: `carescim idp add`, admin API `idps`). */
export class IdentityProviders {
  constructor (private readonly store: EnrolmentStore, private readonly box: SecretBox) {}

  async add (tenant: Tenant, input: ProviderInput, context: ChangeContext): Promise<ProviderView> {
    const issuer = checkIssuer(input.issuer)
    if (input.purpose === 'patient-enrolment') {
      if (input.nationalIdKind === undefined || !NATIONAL_ID_KINDS.includes(input.nationalIdKind)) {
        throw invalid(`A patient-enrolment provider needs the national identifier's kind (${NATIONAL_ID_KINDS.join(', ')})`)
      }
    }
    if (input.clientId.trim() === '' || input.clientSecret === '') throw invalid('The client id and secret are required')
    checkKnownFeatures(input.defaultFeatures ?? [], featuresOf(tenant.settings))
    const record = await this.store.addProvider({
      tenantId: tenant.id,
      purpose: input.purpose,
      issuer,
      clientId: input.clientId.trim(),
      clientSecretSealed: this.box.seal(input.clientSecret),
      scopes: input.scopes ?? (input.purpose === 'patient-enrolment' ? 'openid profile email national_id' : 'openid profile email'),
      policy: input.policy ?? 'review',
      autoCreate: input.autoCreate ?? false,
      nationalIdClaim: input.nationalIdClaim ?? input.nationalIdKind,
      nationalIdKind: input.nationalIdKind,
      acrValues: input.acrValues ?? [],
      defaultFeatures: input.defaultFeatures ?? []
    }, context)
    return viewOf(record)
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
    throw invalid(`The issuer "${issuer}" is not a URL`)
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw invalid('The issuer must be an https:// URL (plain http only on this machine, for development)')
  return issuer // exactly as given: discovery compares it with the provider's own, trailing slash and all
}

function viewOf (record: IdentityProviderRecord): ProviderView {
  const { clientSecretSealed: _secret, tenantId: _tenant, createdAt, ...view } = record
  return { ...view, createdAt: createdAt.toISOString() }
}
