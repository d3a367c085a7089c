import { expect } from '@playwright/test';
import { messages, reply, signIn, startConversation, test } from './helpers';

test('an operator never answers stale: words that arrive while she writes hold her answer until she has seen them', async ({ browser }) => {
  const token = Date.now().toString(36);
  const subject = `Lost parcel ${token}`;
  const member = await signIn(browser, 'boris@example.com');
  const olga = await signIn(browser, 'olga@desk.example');
  await startConversation(member, 'Customer care', subject, 'My parcel never came');

  await olga.getByRole('link', { name: new RegExp(subject) }).click();
  await expect(messages(olga).getByText('My parcel never came')).toBeVisible();
  await olga.getByRole('button', { name: 'Take' }).click();
  await expect(olga.getByTestId('lock')).toHaveText('Taken by you');

  // She starts her answer; meanwhile the member writes twice.
  await reply(olga).fill('We will send a new one today.');
  await member.getByRole('link', { name: new RegExp(subject) }).click();
  for (const line of ['Found the tracking number: 42', 'It says delivered to a neighbour']) {
    await reply(member).fill(line);
    await reply(member).press('Enter');
    await expect(messages(olga).getByText(line)).toBeVisible();
  }

  // Her answer is held, saying why; the member receives nothing.
  await reply(olga).press('Enter');
  const held = messages(olga).locator('li.pending', { hasText: 'We will send a new one today.' });
  await expect(held.getByRole('alert')).toContainText('2 new messages arrived while you were writing');
  await expect(messages(member).getByText('We will send a new one today.')).toHaveCount(0);

  // One more press, having read them, sends it — once.
  await held.getByRole('button', { name: 'Send anyway' }).click();
  await expect(messages(member).getByText('We will send a new one today.')).toHaveCount(1);
  await expect(messages(olga).locator('li.pending')).toHaveCount(0);
  await expect(messages(olga).getByText('We will send a new one today.')).toHaveCount(1);
});
