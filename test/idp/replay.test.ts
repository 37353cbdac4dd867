import t from 'tap'
import { startTestApp } from '../helpers/app.js'
import { loadSteps, replay } from '../helpers/replay.js'

// Recorded request sequences of Microsoft Entra ID and Okta (test/fixtures/idp/), each step naming the
// documentation it follows; quirks and decisions in docs/idp-compatibility.md.
for (const idp of ['entra', 'okta']) {
  t.test(`${idp} provisioning sequence replays step by step`, async t => {
    const { app, tenant } = await startTestApp(t)
    const token = await tenant(idp)
    const steps = loadSteps(new URL(`../fixtures/idp/${idp}/`, import.meta.url).pathname)
    const results = await replay(app, idp, token, steps, `http://carescim.test/scim/v2/${idp}`)
    for (const { step, status, body, problem } of results) {
      t.equal(problem, undefined, `${step.file}: ${step.description.split('.')[0]}`, problem === undefined ? {} : { request: step.request, status, body, source: step.source })
    }
    t.equal(results.length, steps.length, 'every step ran')
  })
}
