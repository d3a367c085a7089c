import { expect } from '@playwright/test';
import { messages, reply, signIn, startConversation, waitLive, test } from './helpers';

test('a draft is kept on the server: it survives a reload and opens on another screen, a note apart from the reply, and goes once sent', async ({ browser }) => {
  const token = Date.now().toString(36);
  const subject = `Address change ${token}`;
  const member = await signIn(browser, 'chloe@example.com');
  await startConversation(member, 'Customer care', subject, 'I moved to Lyon');

  const olga = await signIn(browser, 'olga@desk.example');
  await olga.getByRole('link', { name: new RegExp(subject) }).click();
  await expect(messages(olga).getByText('I moved to Lyon')).toBeVisible();
  await reply(olga).fill('Dear Chloe, your new address is saved.');
  // The note is a draft of its own: the switch shows it, and shows the reply again.
  await olga.getByLabel('Hidden note (staff only)').check();
  await expect(reply(olga)).toHaveValue('');
  await reply(olga).fill('Check the postcode with her');
  await olga.getByLabel('Hidden note (staff only)').uncheck();
  await expect(reply(olga)).toHaveValue('Dear Chloe, your new address is saved.');

  // Another screen of hers opens the ticket with the reply in the box, and the note behind it.
  const phone = await signIn(browser, 'olga@desk.example', { viewport: { width: 390, height: 844 } });
  await expect.poll(async () => {
    await phone.goto('/board');
    await waitLive(phone);
    await phone.getByRole('link', { name: new RegExp(subject) }).click();
    return reply(phone).inputValue();
  }).toBe('Dear Chloe, your new address is saved.');
  await phone.getByLabel('Hidden note (staff only)').check();
  await expect(reply(phone)).toHaveValue('Check the postcode with her');
  await phone.getByLabel('Hidden note (staff only)').uncheck();

  // Sent from the phone: the member reads it once, and a reload of the first screen has no
  // reply draft any more (the note's stays).
  await reply(phone).press('Enter');
  await expect(messages(member).getByText('Dear Chloe, your new address is saved.')).toHaveCount(1);
  await olga.reload();
  await waitLive(olga);
  await olga.getByRole('link', { name: new RegExp(subject) }).click();
  await expect(messages(olga).getByText('Dear Chloe, your new address is saved.')).toBeVisible();
  await olga.getByLabel('Hidden note (staff only)').check();
  await expect(reply(olga)).toHaveValue('Check the postcode with her');
  await olga.getByLabel('Hidden note (staff only)').uncheck();
  await expect(reply(olga)).toHaveValue('');
});
