#!/usr/bin/env node
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from '../config/load.js'
import type { Config } from '../config/schema.js'
import { operatorSession } from '../domain/accounts/account-administration.js'
import { DomainError, notFound } from '../domain/errors.js'
import { CLI_CONTEXT } from '../domain/lifecycle/change-context.js'
import { ScimError } from '../scim/errors.js'
import { NATIONAL_ID_KINDS, type NationalIdKind } from '../identity/national-id.js'
import type { QuotaAction } from '../domain/lifecycle/effects.js'
import type { TenantSettings } from '../domain/tenants/tenant-service.js'
import { DataDirectoryInUseError } from '../persistence/data-directory-lock.js'
import { openRuntime, type Runtime } from '../runtime.js'

const USAGE = `Usage: carescim <command>

  migrate                                   apply pending database migrations
  tenant create <slug> [--name "…"] [--json] create a tenant; prints its SCIM base URL and token (shown once)
  tenant list [--json]                      list tenants
  token rotate <slug> [--json]              issue a new SCIM token; the old one stops working
  tenant configure <slug> [--require-supervisor true|false] [--supervisor-removal refuse|flag]
                    [--sign-in password|sso] [--quota-create N] [--quota-deactivate N] [--quota-reactivate N]
                                            set the tenant's policies
  idp add <tenant> --issuer <url> --client-id <id> --client-secret <s> --purpose patient-enrolment|staff-sign-in
          [--policy auto|review] [--auto-create] [--national-id-claim <claim> --national-id-kind bsn|cpr|hetu|kvnr]
          [--acr <value>] [--feature <f> …] [--json]
                                            register an OpenID Provider for the tenant
  account create <tenant> --email <e> --given-name <g> --family-name <f> --role <role> [--role …] [--json]
                                            create (or attach) an account with a membership waiting for
                                            activation, and send the activation mail

Configuration comes from the environment and config/ (see README).`

class UsageError extends Error {}

interface Output { write: (text: string) => void, progress: (text: string) => void }

type Command = (runtime: Runtime, args: string[], flags: Flags, out: Output) => Promise<void>
interface Flags {
  json: boolean
  name?: string
  requireSupervisor?: string
  supervisorRemoval?: string
  signIn?: string
  quota: Partial<Record<QuotaAction, string>>
  email?: string
  givenName?: string
  familyName?: string
  roles: string[]
  idp: Record<string, string | boolean | string[] | undefined>
}

const commands: Record<string, Command> = {
  'tenant create': async ({ tenants, config }, [slug], flags, out) => {
    if (slug === undefined) throw new UsageError('tenant create needs a slug')
    const { tenant, token } = await tenants.createTenant(slug, flags.name)
    printTenantToken(out, config, tenant.slug, token, flags.json)
  },
  'tenant list': async ({ tenants, config }, _args, flags, out) => {
    const list = await tenants.listTenants()
    if (flags.json) {
      out.write(JSON.stringify(list.map(t => ({ tenant: t.slug, name: t.displayName, scimBaseUrl: scimBaseUrl(config, t.slug), createdAt: t.createdAt.toISOString() }))) + '\n')
      return
    }
    if (list.length === 0) out.write('No tenants yet. Create one: carescim tenant create <slug>\n')
    for (const t of list) out.write(`${t.slug}\t${t.displayName}\t${scimBaseUrl(config, t.slug)}\n`)
  },
  'token rotate': async ({ tenants, config }, [slug], flags, out) => {
    if (slug === undefined) throw new UsageError('token rotate needs a tenant slug')
    const { tenant, token } = await tenants.rotateToken(slug)
    printTenantToken(out, config, tenant.slug, token, flags.json)
  },
  'tenant configure': async ({ tenants }, [slug], flags, out) => {
    if (slug === undefined) throw new UsageError('tenant configure needs a tenant slug')
    const tenant = (await tenants.listTenants()).find(t => t.slug === slug)
    const healthcare = { ...tenant?.settings.healthcare }
    if (flags.requireSupervisor !== undefined) {
      if (!['true', 'false'].includes(flags.requireSupervisor)) throw new UsageError('--require-supervisor takes true or false')
      healthcare.requireSupervisor = flags.requireSupervisor === 'true'
    }
    if (flags.supervisorRemoval !== undefined) {
      if (flags.supervisorRemoval !== 'refuse' && flags.supervisorRemoval !== 'flag') throw new UsageError('--supervisor-removal takes refuse or flag')
      healthcare.supervisorRemoval = flags.supervisorRemoval
    }
    const settings: TenantSettings = { ...tenant?.settings, healthcare }
    if (flags.signIn !== undefined) {
      if (flags.signIn !== 'password' && flags.signIn !== 'sso') throw new UsageError('--sign-in takes password or sso')
      settings.signIn = flags.signIn
    }
    for (const [action, value] of Object.entries(flags.quota)) {
      if (!/^\d{1,7}$/.test(value)) throw new UsageError(`--quota-${action} takes a whole number`)
      settings.quotas = { ...settings.quotas, [action]: Number(value) }
    }
    const updated = await tenants.configure(slug, settings)
    out.write((flags.json ? JSON.stringify({ tenant: updated.slug, settings: updated.settings }) : `${updated.slug}: ${JSON.stringify(updated.settings)}`) + '\n')
  },
  'account create': async ({ tenants, administration, mailer, config }, [slug], flags, out) => {
    if (slug === undefined) throw new UsageError('account create needs a tenant slug')
    if (flags.email === undefined || flags.givenName === undefined || flags.familyName === undefined || flags.roles.length === 0) {
      throw new UsageError('account create needs --email, --given-name, --family-name and at least one --role')
    }
    const tenant = await tenants.findBySlug(slug)
    if (tenant === undefined) throw notFound(`No tenant "${slug}"`)
    const created = await administration.create(operatorSession(tenant, CLI_CONTEXT), { email: flags.email, givenName: flags.givenName, familyName: flags.familyName, roles: flags.roles })
    out.progress('Sending the activation mail…')
    await mailer.worker.drain()
    const account = { tenant: tenant.slug, id: created.id, email: created.loginEmail ?? flags.email, status: created.status, roles: flags.roles }
    out.write(flags.json
      ? JSON.stringify(account) + '\n'
      : `Account ${account.email} in ${account.tenant}: membership ${account.id}, status ${account.status}.\n` +
        `The activation mail is on its way${config.smtpUrl === undefined ? ` (no SMTP_URL: see ${config.dataDir}/outbox)` : ''}; its link is valid for ${config.activationLinkTtlHours} hours.\n`)
  },
  'idp add': async ({ tenants, identityProviders }, [slug], flags, out) => {
    if (slug === undefined) throw new UsageError('idp add needs a tenant slug')
    const { issuer, clientId, clientSecret, purpose, policy, nationalIdClaim, nationalIdKind, acr, feature, autoCreate } = flags.idp
    if (typeof issuer !== 'string' || typeof clientId !== 'string' || typeof clientSecret !== 'string' || typeof purpose !== 'string') {
      throw new UsageError('idp add needs --issuer, --client-id, --client-secret and --purpose')
    }
    if (purpose !== 'patient-enrolment' && purpose !== 'staff-sign-in') throw new UsageError('--purpose takes patient-enrolment or staff-sign-in')
    if (policy !== undefined && policy !== 'auto' && policy !== 'review') throw new UsageError('--policy takes auto or review')
    if (nationalIdKind !== undefined && !(NATIONAL_ID_KINDS as readonly unknown[]).includes(nationalIdKind)) throw new UsageError(`--national-id-kind takes ${NATIONAL_ID_KINDS.join(', ')}`)
    const tenant = await tenants.findBySlug(slug)
    if (tenant === undefined) throw notFound(`No tenant "${slug}"`)
    const provider = await identityProviders.add(tenant, {
      issuer, clientId, clientSecret, purpose,
      ...(policy === undefined ? {} : { policy: policy as 'auto' | 'review' }),
      autoCreate: autoCreate === true,
      ...(typeof nationalIdClaim === 'string' ? { nationalIdClaim } : {}),
      ...(nationalIdKind === undefined ? {} : { nationalIdKind: nationalIdKind as NationalIdKind }),
      acrValues: Array.isArray(acr) ? acr : [],
      defaultFeatures: Array.isArray(feature) ? feature : []
    }, CLI_CONTEXT)
    out.write(flags.json
      ? JSON.stringify({ tenant: tenant.slug, ...provider }) + '\n'
      : `Identity provider ${provider.id} (${provider.purpose}, ${provider.issuer}) added to ${tenant.slug}.\n`)
  },
  migrate: async () => { /* openRuntime migrates and reports progress */ }
}

function scimBaseUrl (config: Config, slug: string): string {
  return `${config.publicUrl}/scim/v2/${slug}`
}

function printTenantToken (out: Output, config: Config, slug: string, token: string, json: boolean): void {
  const result = { tenant: slug, scimBaseUrl: scimBaseUrl(config, slug), token }
  if (json) {
    out.write(JSON.stringify(result) + '\n')
    return
  }
  out.write(`Tenant:        ${result.tenant}\nSCIM base URL: ${result.scimBaseUrl}\nToken:         ${result.token}\n` +
    'The token is shown once; store it in your identity provider now.\n')
}

export async function runCli (argv: string[], out: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        name: { type: 'string' },
        'require-supervisor': { type: 'string' },
        'supervisor-removal': { type: 'string' },
        'sign-in': { type: 'string' },
        'quota-create': { type: 'string' },
        'quota-deactivate': { type: 'string' },
        'quota-reactivate': { type: 'string' },
        email: { type: 'string' },
        'given-name': { type: 'string' },
        'family-name': { type: 'string' },
        role: { type: 'string', multiple: true },
        issuer: { type: 'string' },
        'client-id': { type: 'string' },
        'client-secret': { type: 'string' },
        purpose: { type: 'string' },
        policy: { type: 'string' },
        'auto-create': { type: 'boolean' },
        'national-id-claim': { type: 'string' },
        'national-id-kind': { type: 'string' },
        acr: { type: 'string', multiple: true },
        feature: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' }
      }
    })
    if (values.help === true || positionals.length === 0) {
      out.write(USAGE + '\n')
      return values.help === true ? 0 : 2
    }
    const [first = '', second = ''] = positionals
    const name = commands[`${first} ${second}`] !== undefined ? `${first} ${second}` : first
    const command = commands[name]
    if (command === undefined) throw new UsageError(`unknown command "${positionals.join(' ')}"`)
    const args = positionals.slice(name.split(' ').length)

    const config = loadConfig({ env })
    const runtime = await openRuntime(config, {
      onMigrated: applied => out.progress(applied.length === 0 ? 'Database schema is up to date.' : `Applied ${applied.length} migration(s): ${applied.join(', ')}`)
    })
    try {
      await command(runtime, args, {
        json: values.json === true,
        ...(values.name === undefined ? {} : { name: values.name }),
        ...(values['require-supervisor'] === undefined ? {} : { requireSupervisor: values['require-supervisor'] }),
        ...(values['supervisor-removal'] === undefined ? {} : { supervisorRemoval: values['supervisor-removal'] }),
        ...(values['sign-in'] === undefined ? {} : { signIn: values['sign-in'] }),
        quota: Object.fromEntries((['create', 'deactivate', 'reactivate'] as const).flatMap(action => {
          const value = values[`quota-${action}`]
          return value === undefined ? [] : [[action, value]]
        })),
        ...(values.email === undefined ? {} : { email: values.email }),
        ...(values['given-name'] === undefined ? {} : { givenName: values['given-name'] }),
        ...(values['family-name'] === undefined ? {} : { familyName: values['family-name'] }),
        roles: values.role ?? [],
        idp: {
          issuer: values.issuer,
          clientId: values['client-id'],
          clientSecret: values['client-secret'],
          purpose: values.purpose,
          policy: values.policy,
          autoCreate: values['auto-create'],
          nationalIdClaim: values['national-id-claim'],
          nationalIdKind: values['national-id-kind'],
          acr: values.acr,
          feature: values.feature
        }
      }, out)
    } finally {
      await runtime.close()
    }
    return 0
  } catch (error) {
    if (error instanceof UsageError || (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      out.progress(`carescim: ${(error as Error).message}\n\n${USAGE}`)
      return 2
    }
    if (error instanceof DomainError || error instanceof ScimError || error instanceof ConfigError || error instanceof DataDirectoryInUseError) {
      out.progress(`carescim: ${error.message}`)
      return 1
    }
    throw error
  }
}

// Run when executed directly (bin or `node dist/cli/main.js`), not when imported by tests.
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const code = await runCli(process.argv.slice(2), {
    write: text => process.stdout.write(text),
    progress: text => process.stderr.write(text + '\n')
  })
  process.exitCode = code
}
