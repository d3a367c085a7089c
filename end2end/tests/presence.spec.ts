import { expect } from '@playwright/test';
import { messages, reply, signIn, startConversation, test } from './helpers';

test('presence: who views and who replies shows live to staff and the moderator; the member sees support typing; a closed tab leaves', async ({ browser }) => {
  const subject = `Broken zip ${Date.now().toString(36)}`;
  const member = await signIn(browser, 'anna@example.com');
  const ivan = await signIn(browser, 'ivan@desk.example');
  const mike = await signIn(browser, 'mike@desk.example');
  const olga = await signIn(browser, 'olga@desk.example');

  await startConversation(member, 'Customer care', subject, 'The zip of my bag broke');

  // Ivan and Olga open it: each sees the other viewing.
  await ivan.getByRole('list', { name: 'Tickets', exact: true }).getByRole('link', { name: new RegExp(subject) }).click();
  await olga.getByRole('list', { name: 'Tickets', exact: true }).getByRole('link', { name: new RegExp(subject) }).click();
  const here = ivan.getByRole('list', { name: 'Here now' });
  await expect(here.getByText('Olga Petrova · viewing')).toBeVisible();
  await expect(olga.getByRole('list', { name: 'Here now' }).getByText('Ivan Sokolov · viewing')).toBeVisible();
  await expect(olga.getByRole('list', { name: 'Here now' }).getByText('Anna Ivanova · viewing')).toBeVisible();

  // Olga starts a reply: Ivan and the moderator's board see her replying; the member sees her typing.
  await reply(olga).fill('Please send a photo of');
  await expect(here.getByText(/Olga Petrova · (typing…|replying)/)).toBeVisible();
  const row = mike.getByRole('list', { name: 'Tickets', exact: true }).getByRole('link', { name: new RegExp(subject) });
  await expect(row.locator('.tag.here')).toContainText('Olga Petrova replying');
  await expect(member.getByRole('status').filter({ hasText: 'Olga Petrova is typing…' })).toBeVisible();
  await expect(member.locator('body')).not.toContainText('viewing');

  // Olga closes her tab: she is gone from Ivan's view and from the moderator's board; the
  // member, who has the conversation open, is still there.
  await olga.context().close();
  await expect(here.getByText(/Olga Petrova/)).toHaveCount(0);
  await expect(here.getByText('Anna Ivanova · viewing')).toBeVisible();
  await expect(row.locator('.tag.here')).not.toContainText('Olga Petrova');
});
