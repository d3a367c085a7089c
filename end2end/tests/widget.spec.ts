import { expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { messages, reply, signIn, test } from './helpers';

// A host platform's site on another origin (`localhost`, another site than the desk's
// `127.0.0.1`) embeds the widget; its "backend" here signs each page's token with the site's
// secret, as a real one would (JWT HS256).

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

function jwt(claims: object, secret: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  const signature = crypto.createHmac('sha256', secret).update(signed).digest('base64url');
  return `${signed}.${signature}`;
}

/** A host site: every page load signs a fresh token for its member with `site` as it is then. */
async function hostSite(desk: string, site: { key: string; secret: string }, lang = 'en') {
  const server = http.createServer((_req, res) => {
    const token = jwt(
      {
        sub: 'shop-42',
        name: 'Nina Volkova',
        email: 'nina@shop.example',
        phone: '+7 916 555 0142',
        exp: Math.floor(Date.now() / 1000) + 300,
        jti: crypto.randomUUID(),
      },
      site.secret,
    );
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8"><title>My account — Shop</title></head>
<body><main><h1>My account</h1>
<p>Unread support answers: <output id="unread" aria-label="Unread support answers">0</output></p>
<button type="button" id="ask">Ask about invoice 42</button></main>
<script>
  window.addEventListener('message', (e) => {
    if (e.origin === location.origin && e.data && e.data.type === 'switchboard:unread') {
      document.getElementById('unread').textContent = String(e.data.count);
    }
  });
  document.getElementById('ask').addEventListener('click', () =>
    window.postMessage({ type: 'switchboard:open', subject: 'Invoice 42' }, location.origin));
</script>
<script src="${desk}/widget.js" data-site="${site.key}" data-token="${token}" async></script>
</body></html>`);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, port: (server.address() as AddressInfo).port };
}

/** The administrator adds the site on /admin; its key and the secret shown once. */
async function addSite(ada: Page, name: string, origin: string): Promise<{ key: string; secret: string }> {
  await ada.goto('/admin');
  const section = ada.getByRole('region', { name: 'Sites with the widget' });
  const form = section.getByRole('form', { name: 'New site' });
  await form.getByLabel('Site name').fill(name);
  await form.getByLabel('Origins, one per line').fill(origin);
  await form.getByRole('button', { name: 'Add site' }).click();
  const row = section.getByRole('listitem', { name });
  const secret = await row.getByLabel('Site secret').inputValue();
  const snippet = await row.getByLabel("Snippet for the site's pages").inputValue();
  const key = /data-site="([^"]+)"/.exec(snippet)![1];
  expect(secret).toMatch(/^[0-9a-f]{64}$/);
  return { key, secret };
}

test('a member chats and sends the form from the widget on the host site; answers arrive live and the launcher counts them; another origin cannot frame the desk', async ({ browser, baseURL }) => {
  const desk = baseURL!;
  const ada = await signIn(browser, 'ada@desk.example');
  // The site's pages sign with what the administrator is given for it.
  const site = { key: '', secret: '' };
  const shop = await hostSite(desk, site);
  Object.assign(site, await addSite(ada, `Shop ${Date.now().toString(36)}`, `http://localhost:${shop.port}`));
  const shopUrl = `http://localhost:${shop.port}/`;

  const member = await (await browser.newContext()).newPage();
  await member.goto(shopUrl);
  const launcher = member.getByRole('button', { name: /^Support/ });
  await expect(launcher).toBeVisible();
  await launcher.click();
  const panel = member.getByRole('dialog', { name: 'Support chat' });
  await expect(panel).toBeVisible();
  const frame = member.frameLocator('iframe[title="Support chat"]');
  await expect(frame.locator('body[data-hydrated="true"]')).toBeAttached();
  await expect(frame.getByTestId('link-state')).toHaveText('Live');
  await expect(frame.getByText('Nina Volkova')).toBeVisible();
  // The host signs people in and out, not the widget.
  await expect(frame.getByRole('button', { name: 'Sign out' })).toHaveCount(0);

  // A message with a picture.
  const subject = `Parcel ${Date.now().toString(36)}`;
  await frame.getByRole('link', { name: 'New conversation' }).click();
  await frame.getByLabel('Department').selectOption({ label: 'Customer care' });
  await frame.getByLabel('Subject').fill(subject);
  await frame.getByLabel('Attach files').setInputFiles([{ name: 'label.png', mimeType: 'image/png', buffer: PNG }]);
  await expect(frame.getByRole('list', { name: 'Files to send' }).getByText('Ready')).toBeVisible();
  await frame.getByRole('textbox', { name: 'Message', exact: true }).fill('My parcel has not arrived.');
  await frame.getByRole('textbox', { name: 'Message', exact: true }).press('Enter');
  await expect(messages(frame as unknown as Page).getByText('My parcel has not arrived.')).toBeVisible();
  await expect(frame.getByRole('img', { name: /label\.png/ })).toBeVisible();

  // The feedback form, from the list (the panel is as narrow as a phone: one pane at a time).
  const formSubject = `Refund ${Date.now().toString(36)}`;
  await frame.getByRole('link', { name: /Back/ }).click();
  await frame.getByRole('link', { name: 'Feedback form' }).click();
  const form = frame.getByRole('form', { name: 'Feedback form' });
  await form.getByLabel('Department').selectOption({ label: 'Customer care' });
  await form.getByLabel('Subject').fill(formSubject);
  await form.getByLabel('Category').selectOption({ index: 1 });
  await form.getByLabel('Criticality').selectOption({ index: 1 });
  await form.getByRole('textbox', { name: 'Description' }).fill('Please refund order 5512.');
  await form.getByRole('button', { name: 'Send' }).click();
  await expect(frame.getByRole('heading', { name: formSubject })).toBeVisible();

  // The operator answers both; the answers arrive live in the open widget.
  const olga = await signIn(browser, 'olga@desk.example');
  const queue = olga.getByRole('list', { name: 'Tickets', exact: true });
  for (const [which, answer] of [[subject, 'It left our warehouse today.'], [formSubject, 'The refund is on its way.']]) {
    await queue.getByRole('link', { name: new RegExp(which) }).click();
    await expect(messages(olga).getByText('Nina Volkova').first()).toBeVisible();
    await olga.getByRole('button', { name: 'Take' }).click();
    await reply(olga).fill(answer);
    await reply(olga).press('Enter');
    await expect(messages(olga).getByText(answer)).toBeVisible();
  }
  await expect(messages(frame as unknown as Page).getByText('The refund is on its way.')).toBeVisible();
  await frame.getByRole('link', { name: /Back/ }).click();
  await frame.getByRole('link', { name: new RegExp(subject) }).click();
  await expect(messages(frame as unknown as Page).getByText('It left our warehouse today.')).toBeVisible();
  await expect(launcher).toHaveAccessibleName('Support');

  // Closed, the widget counts what arrives: on the launcher and to the host page.
  await member.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(launcher).toBeFocused();
  await queue.getByRole('link', { name: new RegExp(subject) }).click();
  await expect(messages(olga).getByText('It left our warehouse today.')).toBeVisible();
  await reply(olga).fill('Tracking number: RU123456789.');
  await reply(olga).press('Enter');
  await expect(launcher).toHaveAccessibleName('Support, 1 unread answer');
  await expect(member.getByLabel('Unread support answers')).toHaveText('1');
  // Opened again, it is read.
  await launcher.click();
  await expect(messages(frame as unknown as Page).getByText('Tracking number: RU123456789.')).toBeVisible();
  await expect(launcher).toHaveAccessibleName('Support');
  await expect(member.getByLabel('Unread support answers')).toHaveText('0');
  const results = await new AxeBuilder({ page: member }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const found = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, found.join('\n')).toEqual([]);

  // The administration page with the site and its secret is accessible too.
  const adminAxe = await new AxeBuilder({ page: ada }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(adminAxe.violations.map((v) => v.id)).toEqual([]);

  // The host asks for a new conversation about an invoice: the form opens with its subject.
  await member.keyboard.press('Escape');
  await member.getByRole('button', { name: 'Ask about invoice 42' }).click();
  await expect(panel).toBeVisible();
  await expect(frame.getByLabel('Subject')).toHaveValue('Invoice 42');

  // A page of a third origin: the widget is refused, and the desk will not be framed.
  const third = await hostSite(desk, site);
  const stranger = await (await browser.newContext()).newPage();
  const refused = stranger.waitForResponse((r) => r.url().includes('/widget/') && r.request().method() === 'POST');
  await stranger.goto(`http://127.0.0.1:${third.port}/`);
  expect((await refused).status()).toBe(403);
  await stranger.evaluate((url) => {
    const frame = document.createElement('iframe');
    frame.title = 'Framed desk';
    frame.src = url;
    document.body.appendChild(frame);
  }, `${desk}/account`);
  await expect
    .poll(() => stranger.frames().map((f) => f.url()).join(' '))
    .toContain('chrome-error://');
  await expect(stranger.frameLocator('iframe[title="Framed desk"]').getByText('Your conversations')).toHaveCount(0);

  shop.server.close();
  third.server.close();
});
