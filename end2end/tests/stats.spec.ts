import { expect, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { messages, reply, signIn, startConversation, test } from './helpers';

/** The colleague `name`'s row of the "Each colleague's work" table, or nothing. */
function workOf(page: Page, name: string) {
  return page
    .getByRole('region', { name: "Each colleague's work" })
    .getByRole('table')
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name, exact: true }) });
}

/** How many messages `name` wrote in the range on screen (0 when they have no row). */
async function messagesBy(page: Page, name: string): Promise<number> {
  const row = workOf(page, name);
  if ((await row.count()) === 0) return 0;
  return Number(await row.getByRole('cell').nth(1).textContent());
}

test('the moderator reads the statistics, sees new work counted, changes the range and downloads a CSV file; an operator sees their own work', async ({ browser }) => {
  const token = Date.now().toString(36);
  const mike = await signIn(browser, 'mike@desk.example');
  await mike.getByRole('link', { name: 'Statistics', exact: true }).click();
  await expect(mike).toHaveURL(/\/stats$/);
  await expect(mike.getByRole('heading', { level: 1, name: 'Statistics' })).toBeVisible();
  // Each table has its chart, named for screen readers, and its CSV file.
  const contacts = mike.getByRole('region', { name: 'Contacts by channel' });
  await expect(contacts.getByRole('img', { name: 'Chart: Contacts by channel — Tickets' })).toBeVisible();
  await expect(contacts.getByRole('table').getByRole('rowheader', { name: 'Feedback form' })).toBeVisible();
  const before = await messagesBy(mike, 'Olga Petrova');

  // Olga answers a new conversation; the same range shown again counts her message.
  const anna = await signIn(browser, 'anna@example.com');
  const olga = await signIn(browser, 'olga@desk.example');
  await startConversation(anna, 'Customer care', `Figures ${token}`, 'Am I counted?');
  await olga.getByRole('link', { name: new RegExp(`Figures ${token}`) }).click();
  await olga.getByRole('button', { name: 'Take' }).click();
  await expect(olga.getByTestId('lock')).toHaveText('Taken by you');
  await reply(olga).fill('You are.');
  await reply(olga).press('Enter');
  await expect(messages(anna).getByText('You are.')).toBeVisible();
  await mike.getByRole('button', { name: 'Show' }).click();
  await expect(workOf(mike, 'Olga Petrova').getByRole('cell').nth(1)).toHaveText(String(before + 1));

  // Another range: a January long past, Customer care's chats only.
  await mike.getByLabel('From', { exact: true }).fill('2020-01-01');
  await mike.getByLabel('To', { exact: true }).fill('2020-01-31');
  await mike.getByRole('checkbox', { name: 'Customer care' }).check();
  await mike.getByRole('checkbox', { name: 'Chat' }).check();
  await mike.getByRole('button', { name: 'Show' }).click();
  await expect(mike).toHaveURL(/from=2020-01-01&to=2020-01-31&offset=0&department=\d+&channel=chat/);
  await expect(mike.getByRole('checkbox', { name: 'Customer care' })).toBeChecked();
  await expect(mike.getByRole('region', { name: "Each colleague's work" }).getByText('Nothing in this range.')).toBeVisible();
  await expect(contacts.getByText('Nothing in this range.')).toBeVisible();

  // Its CSV file: UTF-8 with a byte-order mark, for Excel.
  const [download] = await Promise.all([
    mike.waitForEvent('download'),
    contacts.getByRole('link', { name: 'Download “Contacts by channel” as CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('switchboard-contacts-2020-01-01-2020-01-31.csv');
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv).toBe('\ufeffChannel,Tickets\r\nChat,0\r\n');

  // An unreadable range says why.
  await mike.goto('/stats?from=2020-02-01&to=2020-01-01');
  await expect(mike.getByRole('alert')).toContainText('at most 400 days apart');

  // Ivan works in Customer care only: he chooses among his departments and sees his own work.
  const ivan = await signIn(browser, 'ivan@desk.example');
  await ivan.getByRole('link', { name: 'Statistics', exact: true }).click();
  await expect(ivan.getByText("The colleagues' table shows your own work only.")).toBeVisible();
  await expect(ivan.getByRole('checkbox', { name: 'Customer care' })).toBeVisible();
  await expect(ivan.getByRole('checkbox', { name: 'Billing' })).toHaveCount(0);
  await expect(workOf(ivan, 'Olga Petrova')).toHaveCount(0);

  // A member is sent home.
  await anna.goto('/stats');
  await expect(anna).toHaveURL(/\/account$/);
});
