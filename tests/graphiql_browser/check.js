// Opens the demo's GraphiQL in headless Chromium with no network but loopback, and checks that the page
// renders, the docs explorer lists the schema, and a query runs. Any request off the server is recorded.
const { chromium } = require('playwright-core');
const base = process.argv[2];
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage();
  const external = [];
  const failed = [];
  page.on('request', r => { if (!r.url().startsWith(base)) external.push(r.url()); });
  page.on('requestfailed', r => failed.push(r.url()));
  page.on('pageerror', e => console.log('pageerror:', e.message));
  await page.goto(base + '/graphql');
  await page.waitForSelector('.graphiql-container', { timeout: 60000 });
  console.log('rendered: .graphiql-container present');
  await page.click('button[aria-label="Show Documentation Explorer"]');
  await page.waitForSelector('.graphiql-doc-explorer-root-type, .graphiql-doc-explorer', { timeout: 30000 });
  await page.waitForFunction(() => document.querySelector('.graphiql-doc-explorer') &&
    /Query/.test(document.querySelector('.graphiql-doc-explorer').textContent), null, { timeout: 30000 });
  await page.click('.graphiql-doc-explorer a.graphiql-doc-explorer-type-name >> text=Query');
  await page.waitForFunction(() => /serverTime/.test(document.querySelector('.graphiql-doc-explorer').textContent), null, { timeout: 30000 });
  const docs = (await page.textContent('.graphiql-doc-explorer')).slice(0, 200);
  console.log('docs explorer lists the schema:', docs.replace(/\s+/g, ' '));
  await page.click('.graphiql-query-editor .CodeMirror');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type('{ serverTime }');
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(() => /"serverTime"/.test(document.querySelector('.graphiql-response').textContent), null, { timeout: 30000 });
  console.log('query ran:', (await page.textContent('.graphiql-response')).replace(/\s+/g, ' ').slice(0, 200));
  console.log('requests off the server:', JSON.stringify(external), 'failed:', JSON.stringify(failed));
  await page.screenshot({ path: '/tmp/e-pw/graphiql.png' });
  await browser.close();
})().catch(e => { console.error('FAILED', e); process.exit(1); });
