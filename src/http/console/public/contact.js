// The end of an eID sign-up without an email address: the patient gives one; a link confirms it.
const form = document.getElementById('contact')
form.addEventListener('submit', async (event) => {
  event.preventDefault()
  const response = await fetch('/enroll/email', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': document.querySelector('meta[name="csrf-token"]').getAttribute('content') },
    body: JSON.stringify({ email: document.getElementById('email').value })
  })
  const body = await response.json()
  document.getElementById('contact-result').textContent = response.status === 202 ? form.dataset.sent : body.message
})
