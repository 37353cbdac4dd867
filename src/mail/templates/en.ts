import type { Phrases } from './types.js'
import { wholeDays } from './duration.js'

export const en: Phrases = {
  locale: 'en-GB',
  timeZone: 'UTC',
  greeting: name => name === undefined ? 'Hello,' : `Hello ${name},`,
  closing: 'Kind regards,',
  duration: hours => {
    const days = wholeDays(hours)
    if (days !== undefined) return `${days} days`
    return hours === 1 ? '1 hour' : `${hours} hours`
  },
  activation: {
    subject: tenant => `Activate your account for ${tenant}`,
    intro: tenant => `An account has been created for you at ${tenant}. To activate it, please choose a password using the link below.`,
    action: 'Activate account',
    validity: duration => `The link is valid for ${duration} and can be used once.`,
    unexpected: 'If you were not expecting this email, you can safely ignore it.'
  },
  reset: {
    subject: tenant => `Reset your password for ${tenant}`,
    intro: tenant => `We received a request to reset the password of your account at ${tenant}. You can choose a new password using the link below.`,
    action: 'Choose a new password',
    validity: duration => `The link is valid for ${duration} and can be used once.`,
    unexpected: 'If you did not request this, you can safely ignore this email; your password will not change.'
  },
  emailVerification: {
    subject: tenant => `Confirm your email address for ${tenant}`,
    intro: tenant => `You gave this email address when you signed up with ${tenant}. Please confirm that it is yours, so that ${tenant} can reach you.`,
    action: 'Confirm email address',
    validity: duration => `The link is valid for ${duration}.`,
    unexpected: 'If you did not sign up, you can ignore this email; the address will not be used.'
  },
  welcome: {
    subject: tenant => `Welcome to ${tenant}`,
    intro: tenant => `An account has been created for you at ${tenant}. You do not need a separate password: you sign in with your organisation's account.`,
    action: 'Sign in'
  },
  enrolmentApproved: {
    subject: tenant => `Your registration with ${tenant} has been approved`,
    intro: tenant => `Your registration with ${tenant} has been approved. You can now sign in.`,
    action: 'Sign in'
  },
  enrolmentRejected: {
    subject: tenant => `Your registration with ${tenant}`,
    intro: tenant => `Unfortunately, your registration with ${tenant} has not been approved.`,
    reasonLabel: 'Reason given',
    contact: tenant => `If you believe this is a mistake, please contact ${tenant}.`
  },
  adminNotification: {
    titles: {
      'account-created': 'Account created',
      'account-updated': 'Account updated',
      'account-deactivated': 'Account deactivated',
      'account-reactivated': 'Account reactivated',
      'activation-resent': 'Activation link resent',
      'membership-ended': 'Membership ended',
      'roles-changed': 'Roles changed',
      'quota-exceeded': 'Daily limit reached'
    },
    sentences: {
      'account-created': (actor, target) => `${actor} created an account for ${target}.`,
      'account-updated': (actor, target) => `${actor} updated the account of ${target}.`,
      'account-deactivated': (actor, target) => `${actor} deactivated the account of ${target}.`,
      'account-reactivated': (actor, target) => `${actor} reactivated the account of ${target}.`,
      'activation-resent': (actor, target) => `${actor} sent a new activation link to ${target}.`,
      'membership-ended': (actor, target) => `${actor} ended the membership of ${target}.`,
      'roles-changed': (actor, target) => `${actor} changed the roles of ${target}.`,
      'quota-exceeded': (actor, target) => `${actor} reached the daily limit; the action for ${target} was not carried out.`
    },
    whenLabel: 'When',
    emailLabel: 'Email address',
    fieldsLabel: 'Changed fields',
    footer: tenant => `You receive this message as an administrator of ${tenant}.`
  }
}
