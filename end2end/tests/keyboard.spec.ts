import { expect } from '@playwright/test';
import { signIn, startConversation, messages, reply, waitLive, test } from './helpers';

test('operator and member work by keyboard alone, the focus following each step', async ({ browser }) => {
  const token = Date.now().toString(36);
  const subject = `Keyboard only ${token}`;
  const member = await signIn(browser, 'anna@example.com');
  await startConversation(member, 'Customer care', subject, 'Typed without a mouse');

  const ivan = await signIn(browser, 'ivan@desk.example');
  // The skip link comes first and lands on the list.
  await ivan.keyboard.press('Tab');
  const skip = ivan.getByRole('link', { name: 'Skip to the list' });
  await expect(skip).toBeFocused();
  await ivan.keyboard.press('Enter');
  await expect(ivan.locator('#list-title')).toBeFocused();

  // `?` shows the shortcuts; Esc closes them.
  await ivan.keyboard.press('?');
  const sheet = ivan.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(sheet).toBeVisible();
  await expect(sheet.getByText('Take the open ticket')).toBeVisible();
  await expect(sheet.getByRole('button', { name: 'Close' })).toBeFocused();
  await ivan.keyboard.press('Escape');
  await expect(sheet).toBeHidden();

  // `/` searches; `j`/`k` and the arrows walk the list; Enter opens.
  await ivan.keyboard.press('/');
  await expect(ivan.getByLabel('Filter tickets')).toBeFocused();
  await ivan.keyboard.type(token);
  const rows = ivan.getByRole('list', { name: 'Tickets', exact: true }).getByRole('link');
  await expect(rows).toHaveCount(1);
  await ivan.keyboard.press('Escape');
  await expect(rows).not.toHaveCount(1);
  await ivan.keyboard.press('Tab');
  await expect(rows.first()).toBeFocused();
  await ivan.keyboard.press('j');
  await expect(rows.nth(1)).toBeFocused();
  await ivan.keyboard.press('ArrowDown');
  await expect(rows.nth(2)).toBeFocused();
  await ivan.keyboard.press('k');
  await expect(rows.nth(1)).toBeFocused();
  const mine = rows.filter({ hasText: subject });
  await mine.focus();
  await ivan.keyboard.press('Enter');
  await expect(ivan).toHaveURL(/\?t=\d+/);
  await expect(ivan.getByRole('heading', { name: subject })).toBeVisible();

  // `t` takes it and puts the focus in the reply box; a sent reply leaves it there.
  await mine.focus();
  await ivan.keyboard.press('t');
  await expect(ivan.getByTestId('lock')).toHaveText('Taken by you');
  await expect(reply(ivan)).toBeFocused();
  await ivan.keyboard.type('Answered from the keyboard');
  await ivan.keyboard.press('Enter');
  await expect(messages(member).getByText('Answered from the keyboard')).toBeVisible();
  await expect(reply(ivan)).toBeFocused();
  // `n` turns the next one into a hidden note.
  await mine.focus();
  await ivan.keyboard.press('n');
  await expect(ivan.getByLabel('Hidden note (staff only)')).toBeChecked();
  await expect(reply(ivan)).toBeFocused();

  // The member: `j` to the conversation, Enter, `r` to reply, Enter sends.
  await member.goto('/account');
  await waitLive(member);
  await member.keyboard.press('j');
  const conversations = member.getByRole('list', { name: 'Conversations' }).getByRole('link');
  await expect(conversations.first()).toBeFocused();
  await member.getByRole('list', { name: 'Conversations' }).getByRole('link', { name: new RegExp(subject) }).focus();
  await member.keyboard.press('Enter');
  await expect(member).toHaveURL(/\?t=\d+/);
  await member.keyboard.press('r');
  await expect(reply(member)).toBeFocused();
  await member.keyboard.type('Thank you, by keyboard too');
  await member.keyboard.press('Enter');
  await expect(messages(ivan).getByText('Thank you, by keyboard too')).toBeVisible();
  await expect(reply(member)).toBeFocused();
});
