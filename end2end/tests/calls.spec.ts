import { expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { signIn, waitLive, test } from './helpers';

/** Anna's number in the demo accounts. */
const ANNAS_PHONE = '+79161234501';

async function expectAccessible(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const found = results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, `${where}: ${found.join('\n')}`).toEqual([]);
}

async function callsPage(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Places' }).getByRole('link', { name: /^Calls/ }).click();
  await page.waitForURL(/\/calls$/);
  await waitLive(page);
}

test('a call pops the card on the agent who answered, who blocks a card and ends the call with a reason; an unknown caller is sent to a queue; one who gave up is called back', async ({ browser, playwright, baseURL }) => {
  const token = Date.now().toString(36);
  const ada = await signIn(browser, 'ada@desk.example');
  const made = await ada.request.post('/api/tokens', {
    headers: { Origin: baseURL! },
    data: { name: `Telephony ${token}`, scope: 'administrator' },
  });
  expect(made.status()).toBe(201);
  const { secret } = await made.json();
  const pbx = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${secret}` } });
  const report = async (call: string, event: string, caller: string, agent?: string) => {
    const reply = await pbx.post('/api/calls/events', { data: { call_id: call, event, caller, line: '88005553535', agent } });
    expect(reply.status(), await reply.text()).toBe(200);
  };

  // Two agents on their calls pages; a moderator on the board.
  const olga = await signIn(browser, 'olga@desk.example');
  await callsPage(olga);
  const ivan = await signIn(browser, 'ivan@desk.example');
  await callsPage(ivan);
  const mike = await signIn(browser, 'mike@desk.example');
  await expect(olga.getByText('No call of yours now.', { exact: false })).toBeVisible();

  // Anna rings: both agents see her, live.
  await report(`a-${token}`, 'ring', ANNAS_PHONE);
  for (const agent of [olga, ivan]) {
    await expect(agent.getByRole('list', { name: 'Ringing' }).getByText('Anna Ivanova')).toBeVisible();
  }

  // Olga picks up: the card opens on her screen only.
  await report(`a-${token}`, 'answer', ANNAS_PHONE, '201');
  const card = olga.getByRole('article', { name: 'Anna Ivanova' });
  await expect(card.getByRole('textbox', { name: 'Email' })).toHaveValue('anna@example.com');
  await expect(card.getByRole('table', { name: 'Cards' })).toContainText('Active');
  await expect(card.getByRole('region', { name: 'Services' })).toContainText('Hosting Start (hosting) · anna.example.net Active');
  await expect(card.getByRole('table', { name: 'Newest purchases' }).getByRole('row')).not.toHaveCount(1);
  await expect(ivan.getByText('Nobody is waiting on your lines.')).toBeVisible();
  await expect(ivan.getByRole('article')).toHaveCount(0);
  await expectAccessible(olga, 'calls page with a card');

  // At her request, Olga blocks her card: the card and the account's history say so.
  await card.getByLabel('Why card 2700000000001001 is blocked').selectOption({ label: 'Stolen' });
  await card.getByRole('button', { name: 'Block card 2700000000001001' }).click();
  await expect(card.getByRole('table', { name: 'Cards' })).toContainText('Blocked (Stolen)');
  await expect(card.getByRole('region', { name: 'Changes to the account' })).toContainText('Olga Petrova: card 2700000000001001 Active → Blocked (Stolen)');

  // She hangs up; the call waits to be ended, and the top bar says so.
  await report(`a-${token}`, 'hangup', ANNAS_PHONE);
  await expect(olga.getByRole('status').filter({ hasText: 'You have a call to end' })).toBeVisible();
  await expect(olga.getByRole('link', { name: 'Calls (1 to end)' })).toBeVisible();

  // End a call: a reason that closes the request.
  await card.getByRole('button', { name: 'End a call' }).click();
  const dialog = olga.getByRole('dialog', { name: 'End the call' });
  await dialog.getByLabel('Reason').selectOption({ label: 'Work on the loyalty program (blocking/unblocking cards, merging accounts, sending a password, etc.)' });
  await expect(dialog.getByLabel('Close the request')).toBeChecked();
  await dialog.getByLabel('Description').fill('Asked about her balance');
  await expectAccessible(olga, 'the call end dialog');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(card).toHaveCount(0);
  await expect(olga.getByText('No call of yours now.', { exact: false })).toBeVisible();
  await expect(olga.getByRole('link', { name: 'Calls', exact: true })).toBeVisible();

  // A number nobody has: a new caller; the complaint goes to a queue and shows on the board.
  const stranger = `+7999${(Date.now() % 10_000_000).toString().padStart(7, '0')}`;
  await report(`b-${token}`, 'ring', stranger);
  await report(`b-${token}`, 'answer', stranger, '201');
  const second = olga.getByRole('article', { name: stranger });
  await expect(second.getByText('A new caller', { exact: false })).toBeVisible();
  await second.getByRole('button', { name: 'End a call' }).click();
  const end = olga.getByRole('dialog', { name: 'End the call' });
  await end.getByLabel('Reason').selectOption({ label: 'Complaints about the product quality' });
  await expect(end.getByLabel('Close the request')).not.toBeChecked();
  await end.getByLabel('Send the request to the queue').selectOption({ label: 'Email' });
  await end.getByRole('button', { name: 'Save' }).click();
  await expect(second).toHaveCount(0);
  const row = mike.getByRole('link', { name: new RegExp(`Call from \\${stranger}`) });
  await expect(row).toBeVisible();
  await row.click();
  await expect(mike.getByText('ended the call: Complaints about the product quality — the request goes to the Email queue', { exact: false })).toBeVisible();

  // A caller who gave up waiting is offered to Olga, now free, live; she calls back by hand.
  const impatient = `+7998${(Date.now() % 10_000_000).toString().padStart(7, '0')}`;
  await report(`c-${token}`, 'ring', impatient);
  await report(`c-${token}`, 'abandon', impatient);
  const back = olga.getByRole('article', { name: `Call back ${impatient}` });
  await back.getByRole('button', { name: 'Call back now' }).click();
  await expect(back.getByRole('link', { name: impatient })).toHaveAttribute('href', `tel:${impatient}`);
  await back.getByRole('group', { name: 'How did it go?' }).getByRole('button', { name: 'Reached' }).click();
  await expect(back).toHaveCount(0);
});
