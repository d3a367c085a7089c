import { expect } from '@playwright/test';
import { messages, reply, signIn, startConversation, test } from './helpers';

test('search finds messages with highlights; parameters and filters update the board live', async ({ browser }) => {
  const token = `q${Date.now().toString(36)}`;
  const secret = `secret${token}`;

  const member = await signIn(browser, 'anna@example.com');
  const olga = await signIn(browser, 'olga@desk.example');
  const ivan = await signIn(browser, 'ivan@desk.example');

  await startConversation(member, 'Customer care', 'Damaged parcel', `The parcel ${token} arrived damaged`);

  // Olga searches for the word: the hit shows the passage with the word marked; it opens the ticket.
  const filter = olga.getByRole('searchbox', { name: 'Filter tickets' });
  await filter.fill(token.toUpperCase());
  const hits = olga.getByRole('list', { name: 'Search results' });
  await expect(hits.getByRole('link')).toHaveCount(1);
  await expect(hits.locator('mark')).toHaveText(token);
  await hits.getByRole('link').click();
  await expect(olga.locator('li.message[data-found]')).toContainText(`The parcel ${token} arrived damaged`);

  // She takes it, writes a hidden note, and sets its criticality.
  await olga.getByRole('button', { name: 'Take' }).click();
  await expect(olga.getByTestId('lock')).toHaveText('Taken by you');
  await olga.getByLabel('Hidden note (staff only)').check();
  await reply(olga).fill(`Check the courier, ${secret}`);
  await reply(olga).press('Enter');
  await expect(messages(olga).locator('li.note', { hasText: secret })).toBeVisible();
  await olga.getByRole('button', { name: 'Edit parameters' }).click();
  const form = olga.getByRole('form', { name: 'Ticket parameters' });
  await form.getByLabel('Criticality').selectOption({ label: 'High' });
  await form.getByLabel('Subject').fill(`Damaged parcel ${token}`);
  await form.getByRole('button', { name: 'Save parameters' }).click();
  await expect(form).toBeHidden();
  await expect(messages(olga).getByText(/changed the subject .* criticality none → “High”/)).toBeVisible();

  // Ivan's board shows the new subject and criticality live, and his filter keeps only such tickets.
  const ivanRow = ivan.getByRole('list', { name: 'Tickets', exact: true }).getByRole('link', { name: new RegExp(`Damaged parcel ${token}`) });
  await expect(ivanRow.locator('.tag.crit')).toHaveText('High');
  await ivan.getByRole('button', { name: 'Filters' }).click();
  await ivan.getByLabel('Filter by criticality').selectOption({ label: 'High' });
  await expect(ivan.getByRole('list', { name: 'Tickets', exact: true }).getByRole('link')).toHaveCount(1);
  await ivan.getByLabel('Filter by criticality').selectOption({ label: 'Any criticality' });
  await expect(ivan.getByRole('list', { name: 'Tickets', exact: true }).getByRole('link')).not.toHaveCount(1);

  // The member finds her own message, never the hidden note, and sees nothing of the parameters.
  await member.goto('/account');
  const mine = member.getByRole('searchbox', { name: 'Filter tickets' });
  await mine.fill(secret);
  await expect(member.getByText(`No messages match “${secret}”.`)).toBeVisible();
  await mine.fill(token);
  await expect(member.getByRole('list', { name: 'Search results' }).getByRole('link')).toHaveCount(2);
  await expect(member.locator('body')).not.toContainText(secret);
  await expect(member.locator('body')).not.toContainText('High');

  // A second question in the same conversation: Olga splits it off into a ticket of its own.
  await mine.fill('');
  await member.getByRole('list', { name: 'Conversations' }).getByRole('link', { name: new RegExp(`Damaged parcel ${token}`) }).click();
  await reply(member).fill(`Also my address changed ${token}`);
  await reply(member).press('Enter');
  const second = messages(olga).locator('li.message', { hasText: 'Also my address changed' });
  // Splitting asks first: Escape cancels and gives the focus back; nothing moved.
  const splitHere = second.getByRole('button', { name: 'Split from here' });
  await splitHere.click();
  const question = second.getByRole('group', { name: 'Move this message and the ones after it into a new ticket?' });
  await expect(question.getByRole('button', { name: 'Split', exact: true })).toBeFocused();
  await olga.keyboard.press('Escape');
  await expect(question).toBeHidden();
  await expect(splitHere).toBeFocused();
  await splitHere.click();
  await question.getByRole('button', { name: 'Split', exact: true }).click();
  await expect(olga.getByRole('heading', { name: /\(continued\)$/ })).toBeVisible();
  await expect(messages(olga).getByText(/split this conversation off #\d+/)).toBeVisible();
  await expect(messages(olga).getByText(`Also my address changed ${token}`)).toBeVisible();
  await expect(member.getByRole('list', { name: 'Conversations' }).getByRole('link', { name: /\(continued\)/ })).toBeVisible();
});
