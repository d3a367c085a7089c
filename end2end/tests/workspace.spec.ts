import { expect, Page } from '@playwright/test';
import { setCareTargets, signIn, startConversation, messages, waitLive, test } from './helpers';

const MINUTE = 60_000;

/** The staff board's list of tickets. */
function board(page: Page) {
  return page.getByRole('list', { name: 'Tickets', exact: true });
}

test('views, sort and the waiting clock against the department target', async ({ browser }) => {
  const token = Date.now().toString(36);
  const subject = `Where is my parcel ${token}`;

  // The administrator sets Customer care's targets: a first answer within 30 minutes.
  await setCareTargets(browser);

  const ivan = await signIn(browser, 'ivan@desk.example', { clock: true });
  const member = await signIn(browser, 'anna@example.com');
  await startConversation(member, 'Customer care', subject, 'It has been a week');

  // The new ticket is on the board, its member waiting since their message, within target.
  const row = board(ivan).getByRole('link', { name: new RegExp(subject) });
  await expect(row).toBeVisible();
  const waiting = row.getByTestId('waiting');
  await expect(waiting).toHaveText(/Awaiting reply · \d+ s/);
  await expect(waiting).toHaveClass(/sla-within/);
  await expect(waiting).toHaveAttribute('title', 'Target: answer within 30 min');
  await expect(ivan.getByRole('button', { name: 'All open' })).toHaveAttribute('aria-pressed', 'true');

  // Time passes on the operator's clock: near the target, then past it.
  await ivan.clock.fastForward(25 * MINUTE);
  await expect(waiting).toHaveClass(/sla-near/);
  await expect(waiting).toHaveText(/Awaiting reply · 25 min/);
  await ivan.clock.fastForward(6 * MINUTE);
  await expect(waiting).toHaveClass(/sla-breached/);
  await expect(waiting).toHaveText('Awaiting reply · 31 min · past target');
  await expect(ivan.getByTestId('breaches')).toHaveText(/past (its|their) target/);

  // Views: nobody holds it yet; once Ivan takes it, it is his.
  await ivan.getByRole('button', { name: 'Mine' }).click();
  await expect(ivan.getByRole('button', { name: 'Mine' })).toHaveAttribute('aria-pressed', 'true');
  await expect(row).toBeHidden();
  await ivan.getByRole('button', { name: 'Unassigned' }).click();
  await expect(row).toBeVisible();
  await row.click();
  await ivan.getByRole('button', { name: 'Take', exact: true }).click();
  await expect(row).toBeHidden();
  await ivan.getByRole('button', { name: 'Mine' }).click();
  await expect(row).toBeVisible();

  // An answer puts the ball in the member's court.
  await ivan.getByRole('textbox', { name: 'Your message' }).fill('Let me check with the courier');
  await ivan.getByRole('textbox', { name: 'Your message' }).press('Enter');
  await expect(row.getByTestId('waiting')).toBeHidden();
  await ivan.getByRole('button', { name: 'Waiting on member' }).click();
  await expect(row).toBeVisible();

  // The sort and a saved view are the operator's own, kept on the server.
  await ivan.getByRole('button', { name: 'All open' }).click();
  await ivan.getByLabel('Sort').selectOption({ label: 'Newest' });
  await expect(board(ivan).getByRole('link').first()).toHaveAccessibleName(new RegExp(subject));
  await ivan.getByRole('button', { name: 'Mine' }).click();
  await ivan.getByRole('button', { name: 'Save view' }).click();
  await ivan.getByLabel('Name of the view').fill('My care');
  await ivan.getByLabel('Name of the view').press('Enter');
  await expect(ivan.getByRole('button', { name: 'My care', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await ivan.reload();
  await waitLive(ivan);
  await expect(ivan.getByLabel('Sort')).toHaveValue('newest');
  await ivan.getByRole('button', { name: 'My care', exact: true }).click();
  await expect(board(ivan).getByRole('link', { name: new RegExp(subject) })).toBeVisible();
});

test('the member beside the ticket, and a comment the member never receives', async ({ browser }) => {
  const token = Date.now().toString(36);
  const subject = `Loyalty points ${token}`;
  const secret = `Prefers a call back ${token}`;
  const member = await signIn(browser, 'anna@example.com');
  // Every frame the member's page receives from now on.
  const frames: string[] = [];
  member.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
  await member.reload();
  await waitLive(member);
  await startConversation(member, 'Customer care', subject, 'My points are missing');

  const ivan = await signIn(browser, 'ivan@desk.example');
  await board(ivan).getByRole('link', { name: new RegExp(subject) }).click();
  await ivan.getByRole('button', { name: 'Member', exact: true }).click();
  const pane = ivan.getByRole('complementary', { name: 'Member' });
  await expect(pane.getByRole('link', { name: 'anna@example.com' })).toBeVisible();
  await expect(pane.getByRole('link', { name: new RegExp(subject) })).toBeVisible();
  await pane.getByLabel(/Internal comment/).fill(secret);
  await pane.getByRole('button', { name: 'Save comment' }).click();
  await expect(pane.locator('form.member-comment').getByRole('status')).toHaveText('Saved');

  // Another operator sees it; the member's page and socket never carry it.
  const olga = await signIn(browser, 'olga@desk.example');
  await board(olga).getByRole('link', { name: new RegExp(subject) }).click();
  const olgasPane = olga.getByRole('complementary', { name: 'Member' });
  if (!(await olgasPane.isVisible())) await olga.getByRole('button', { name: 'Member', exact: true }).click();
  await expect(olgasPane.getByLabel(/Internal comment/)).toHaveValue(secret);
  await ivan.getByRole('textbox', { name: 'Your message' }).fill('We are looking into it:\nhttps://status.example.com/parcels.');
  await ivan.getByRole('textbox', { name: 'Your message' }).press('Enter');
  await expect(messages(member).getByText('We are looking into it')).toBeVisible();
  // An answer is not the end: the member is asked to rate only once support closes.
  await expect(member.getByRole('group', { name: 'Rate the answer' })).toHaveCount(0);
  // Readable: the address is a link that opens apart and tells nothing; the day is named;
  // each time gives its full date on hover.
  const link = messages(member).getByRole('link', { name: 'https://status.example.com/parcels' });
  await expect(link).toHaveAttribute('href', 'https://status.example.com/parcels');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer nofollow');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(messages(member).getByRole('listitem').filter({ hasText: /^Today$/ })).toHaveCount(1);
  await expect(messages(member).locator('li.message time').first()).toHaveAttribute('title', /^\d{1,2} \w{3} \d{4}, \d\d:\d\d$/);
  await expect(member.locator('body')).not.toContainText(secret);
  expect(frames.length).toBeGreaterThan(0);
  expect(frames.filter((f) => f.includes(token) && f.includes('Prefers'))).toEqual([]);

  // "By client": the board shows only this member's tickets, in one click.
  await pane.getByRole('button', { name: 'All tickets of Anna Ivanova' }).click();
  await expect(ivan.getByText('Member: Anna Ivanova')).toBeVisible();
  const names = await board(ivan).getByRole('link').evaluateAll((links) => links.map((l) => l.textContent ?? ''));
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) expect(name).toContain('Anna Ivanova');
});

test('the board marks what a member wrote since each operator last looked', async ({ browser }) => {
  const subject = `Gift card ${Date.now().toString(36)}`;
  const member = await signIn(browser, 'anna@example.com');
  const ivan = await signIn(browser, 'ivan@desk.example');
  const olga = await signIn(browser, 'olga@desk.example');
  await startConversation(member, 'Customer care', subject, 'The card shows zero');

  // New to both; Ivan looks, and it is new only to Olga.
  const ivansRow = board(ivan).getByRole('link', { name: new RegExp(subject) });
  const olgasRow = board(olga).getByRole('link', { name: new RegExp(subject) });
  await expect(ivansRow.getByTestId('new-to-me')).toHaveText('New');
  await expect(olgasRow.getByTestId('new-to-me')).toBeVisible();
  await ivansRow.click();
  await expect(ivansRow.getByTestId('new-to-me')).toHaveCount(0);
  await expect(olgasRow.getByTestId('new-to-me')).toBeVisible();

  // Kept on the server: after a reload it is still not new to Ivan; the member's next
  // message makes it new again.
  await ivan.goto('/board');
  await waitLive(ivan);
  await expect(ivansRow).toBeVisible();
  await expect(ivansRow.getByTestId('new-to-me')).toHaveCount(0);
  await messages(member).getByText('The card shows zero').waitFor();
  await member.getByRole('textbox', { name: 'Your message' }).fill('Still zero today');
  await member.getByRole('textbox', { name: 'Your message' }).press('Enter');
  await expect(ivansRow.getByTestId('new-to-me')).toBeVisible();
});

test("an operator looks up the member's domain in DNS and keeps the answer as a hidden note", async ({ browser }) => {
  const token = Date.now().toString(36);
  const subject = `Shop down ${token}`;
  const member = await signIn(browser, 'anna@example.com');
  await startConversation(member, 'Customer care', subject, 'shop.test does not open');

  const ivan = await signIn(browser, 'ivan@desk.example');
  await board(ivan).getByRole('link', { name: new RegExp(subject) }).click();
  await ivan.getByRole('button', { name: 'Take' }).click();
  await expect(ivan.getByTestId('lock')).toHaveText('Taken by you');
  const pane = ivan.getByRole('complementary', { name: 'Member' });
  if (!(await pane.isVisible())) await ivan.getByRole('button', { name: 'Member', exact: true }).click();
  const tools = pane.getByRole('region', { name: 'Diagnostics' });
  await tools.getByLabel('Domain').fill('shop.test');
  await tools.getByLabel('Record').selectOption('MX');
  await tools.getByRole('button', { name: 'Look up DNS' }).click();
  // The answer of the DNS server the test command started, shown to staff only.
  const output = tools.getByTestId('diagnosis');
  await expect(output).toContainText('shop.test. 600 IN MX 10 mail.shop.test.');
  await expect(tools.getByTestId('diagnosis-about')).toContainText('DNS MX shop.test · 127.0.0.1:');

  await tools.getByRole('button', { name: 'Keep as hidden note' }).click();
  await expect(tools.getByRole('status').filter({ hasText: 'Kept as a hidden note.' })).toBeVisible();
  const note = messages(ivan).locator('li.note', { hasText: 'IN MX 10 mail.shop.test.' });
  await expect(note).toBeVisible();
  await expect(note).toContainText('DNS MX shop.test (asked of 127.0.0.1:');
  // The member never sees it.
  await expect(messages(member).getByText('shop.test does not open')).toBeVisible();
  await expect(member.locator('body')).not.toContainText('mail.shop.test');

  // Not a domain: said beside the tools.
  await tools.getByLabel('Domain').fill('http://shop.test/');
  await tools.getByRole('button', { name: 'Whois' }).click();
  await expect(tools.getByRole('alert')).toContainText('a domain name such as shop.example');
});
