import { PASSWORD_MIN_LENGTH } from '../../identity/password-policy.js'

/** The page an activation or reset mail links to: it posts the link's token and the new password to /auth/activate. */
export const ACTIVATION_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>CareSCIM: set your password</title><link rel="stylesheet" href="/assets/page.css">
<script src="/assets/activate.js" defer></script>
</head><body><main>
<h1>Set your password</h1>
<form id="activate"><label for="password">New password (at least ${PASSWORD_MIN_LENGTH} characters)</label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="${PASSWORD_MIN_LENGTH}" required>
<button type="submit">Save password</button></form>
<p id="result" role="status"></p>
</main></body></html>
`
