import { PASSWORD_MIN_LENGTH } from '../../identity/password-policy.js'

/** The page an activation or reset mail links to: it posts the link's token and the new password to /auth/activate. */
export const ACTIVATION_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>CareSCIM: set your password</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}label,input,button{display:block;width:100%;margin:.5rem 0}input{padding:.5rem}button{padding:.6rem}</style>
</head><body><main>
<h1>Set your password</h1>
<form id="activate"><label for="password">New password (at least ${PASSWORD_MIN_LENGTH} characters)</label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="${PASSWORD_MIN_LENGTH}" required>
<button type="submit">Save password</button></form>
<p id="result" role="status"></p>
</main><script>
const token = new URLSearchParams(location.search).get('token') || ''
document.getElementById('activate').addEventListener('submit', async (event) => {
  event.preventDefault()
  const response = await fetch('/auth/activate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, password: document.getElementById('password').value }) })
  const result = document.getElementById('result')
  result.textContent = response.status === 204 ? 'Your password is set. You can now sign in.' : (await response.json()).message
})
</script></body></html>
`
