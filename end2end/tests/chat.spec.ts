import { expect } from '@playwright/test';
import { messages, reply, signIn, startConversation, waitLive, test } from './helpers';

test('a member and an operator chat live, and a reload keeps the whole history', async ({ browser }) => {
  const member = await signIn(browser, 'anna@example.com');
  const operator = await signIn(browser, 'ivan@desk.example');
  const subject = `Lost card ${Date.now()}`;

  // The member starts a conversation from the widget.
  await startConversation(member, 'Customer care', subject, 'My card is lost, please block it.');
  await expect(messages(member).getByText('Sent')).toBeVisible();
  await expect(member).toHaveURL(/\/account\?t=\d+/);

  // It appears on the operator's board without a reload.
  const row = operator.getByRole('link', { name: new RegExp(subject) });
  await expect(row).toBeVisible();
  await expect(row.getByText('Awaiting reply')).toBeVisible();
  await row.click();
  await expect(messages(operator).getByText('My card is lost, please block it.')).toBeVisible();

  // The operator replies; the member sees it arrive live.
  await reply(operator).fill('Blocked. A new card is on its way.');
  await reply(operator).press('Enter');
  await expect(messages(operator).getByText('Sent')).toBeVisible();
  await expect(messages(member).getByText('Blocked. A new card is on its way.')).toBeVisible();

  // Away from the conversation, a new reply shows as unread in the member's list, live.
  await member.goto('/account');
  await waitLive(member);
  await reply(operator).fill('Anything else I can do?');
  await reply(operator).press('Enter');
  const memberRow = member.getByRole('link', { name: new RegExp(subject) });
  await expect(memberRow.getByTestId('unread')).toHaveText(/1/);
  await memberRow.click();
  await expect(messages(member).getByText('Anything else I can do?')).toBeVisible();
  await expect(memberRow.getByTestId('unread')).toHaveCount(0);

  // A reload shows the whole history.
  await member.reload();
  await waitLive(member);
  for (const text of ['My card is lost, please block it.', 'Blocked. A new card is on its way.', 'Anything else I can do?']) {
    await expect(messages(member).getByText(text)).toBeVisible();
  }
});
