import { expect, Page } from '@playwright/test';
import { messages, reply, signIn, startConversation, waitLive, test } from './helpers';

/** Starts `page` with nothing unread: marks every notification read; the bell and its panel. */
async function nothingUnread(page: Page) {
  const bell = page.getByRole('button', { name: /^Notifications/ });
  await bell.click();
  const panel = page.getByRole('region', { name: 'Notifications' });
  const markAll = panel.getByRole('button', { name: 'Mark all read' });
  if (await markAll.isEnabled()) await markAll.click();
  await expect(bell).toHaveAccessibleName('Notifications');
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  return { bell, panel };
}

test('a followed ticket notifies live; a moderator reassigns it; hidden notes by default', async ({ browser }) => {
  const token = `f${Date.now().toString(36)}`;
  const member = await signIn(browser, 'anna@example.com');
  const ivan = await signIn(browser, 'ivan@desk.example');
  const mike = await signIn(browser, 'mike@desk.example');

  // Ivan starts with nothing unread.
  const { bell, panel } = await nothingUnread(ivan);

  await startConversation(member, 'Customer care', `Lost voucher ${token}`, 'My voucher code vanished');

  // Ivan opens it from the queue and follows it, then goes back to the queue.
  await ivan.getByRole('list', { name: 'Tickets', exact: true }).getByRole('link', { name: new RegExp(`Lost voucher ${token}`) }).click();
  const follow = ivan.getByRole('button', { name: 'Follow' });
  await follow.click();
  await expect(ivan.getByRole('button', { name: 'Following' })).toHaveAttribute('aria-pressed', 'true');
  const ticketId = new URL(ivan.url()).searchParams.get('t');
  await ivan.goto('/board');
  await waitLive(ivan);

  // The member writes again: Ivan's bell counts it live, and the notification opens the ticket at it.
  await reply(member).fill(`It was ${token.toUpperCase()}`);
  await reply(member).press('Enter');
  await expect(bell).toHaveAccessibleName('Notifications, 1 unread');
  await bell.click();
  const item = panel.getByRole('link', { name: new RegExp(`New message: It was ${token.toUpperCase()}`) });
  await expect(item).toBeVisible();
  await item.click();
  await expect(ivan.locator('li.message[data-found]')).toContainText(`It was ${token.toUpperCase()}`);
  await expect(bell).toHaveAccessibleName('Notifications');

  // Mike, a moderator, hands the ticket to Ivan: Ivan sees it his, live; the member sees nothing of it.
  await mike.goto(`/board?t=${ticketId}`);
  await expect(mike.getByRole('heading', { name: `Lost voucher ${token}` })).toBeVisible();
  await mike.getByLabel('Assign to').selectOption({ label: 'Ivan Sokolov' });
  await expect(ivan.getByTestId('lock')).toHaveText('Taken by you');
  await expect(messages(ivan).getByText('Mike Chen assigned this ticket to Ivan Sokolov')).toBeVisible();
  await expect(mike.getByTestId('lock')).toHaveText('Taken by Ivan Sokolov');
  await expect(member.locator('body')).not.toContainText('assigned');

  // From his board, the moderator releases the lock in the ticket's row: Ivan sees it free.
  await mike.goto('/board');
  await waitLive(mike);
  // The row says who holds the lock and since when (not how old the ticket is).
  const row = mike.getByRole('listitem').filter({ has: mike.getByRole('link', { name: new RegExp(`Lost voucher ${token}`) }) });
  await expect(row.locator('.tag.locked')).toHaveText('Taken by Ivan Sokolov · just now');
  await mike.getByRole('button', { name: `Release #${ticketId} from Ivan Sokolov` }).click();
  await expect(ivan.getByText('Nobody has taken it')).toBeVisible();
  await mike.goto(`/board?t=${ticketId}`);
  await waitLive(mike);

  // "Hide and don't notify" as Mike's default: every reply box starts as a hidden note, after a reload too.
  const byDefault = mike.getByLabel('Hidden notes by default');
  await byDefault.check();
  await expect(mike.getByLabel('Hidden note (staff only)')).toBeChecked();
  await mike.reload();
  await waitLive(mike);
  await expect(mike.getByLabel('Hidden notes by default')).toBeChecked();
  await expect(mike.getByLabel('Hidden note (staff only)')).toBeChecked();
  await mike.getByLabel('Hidden notes by default').uncheck();
  await expect(mike.getByLabel('Hidden note (staff only)')).not.toBeChecked();
});

test('a colleague called by name in a note hears of it; the member never sees the note', async ({ browser }) => {
  const subject = `Voucher ${Date.now().toString(36)}`;
  const member = await signIn(browser, 'anna@example.com');
  const olga = await signIn(browser, 'olga@desk.example');
  const ivan = await signIn(browser, 'ivan@desk.example');
  const { bell, panel } = await nothingUnread(ivan);

  await startConversation(member, 'Customer care', subject, 'My voucher is gone');
  await olga.getByRole('list', { name: 'Tickets', exact: true }).getByRole('link', { name: new RegExp(subject) }).click();
  await olga.getByLabel('Hidden note (staff only)').check();
  await reply(olga).fill('@Ivan could you check the voucher system?');
  await reply(olga).press('Enter');
  await expect(messages(olga).locator('li.note', { hasText: 'could you check the voucher system' })).toBeVisible();

  // Ivan's bell counts it live; the line says he was called, and opens the ticket at the note.
  await expect(bell).toHaveAccessibleName('Notifications, 1 unread');
  await bell.click();
  const item = panel.getByRole('link', { name: /Mentioned you: @Ivan could you check the voucher system\?/ });
  await expect(item).toBeVisible();
  await item.click();
  await expect(ivan.locator('li.note[data-found]')).toContainText('could you check the voucher system');
  await expect(member.locator('body')).not.toContainText('voucher system');
});
