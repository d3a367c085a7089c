import { expect } from '@playwright/test';
import { messages, reply, signIn, startConversation, waitLive, test } from './helpers';

test('take, hidden note, send and close, archive and reopen — live on every screen', async ({ browser }) => {
  const token = Date.now().toString(36);
  const subject = `Refund status ${token}`;
  const note = `VIP customer, refund approved ${token}`;
  const answer = `Your refund is on its way ${token}`;

  const member = await signIn(browser, 'anna@example.com');
  const received: string[] = [];
  member.on('websocket', (ws) => ws.on('framereceived', (frame) => received.push(String(frame.payload))));
  const olga = await signIn(browser, 'olga@desk.example');
  const ivan = await signIn(browser, 'ivan@desk.example');

  await startConversation(member, 'Customer care', subject, 'Where is my refund?');
  await expect(member.getByTestId('member-status').first()).toHaveText('Under review');

  // The filter finds it by its subject and forgets everything else; Esc clears it.
  const filter = ivan.getByRole('searchbox', { name: 'Filter tickets' });
  await filter.fill(token);
  await expect(ivan.getByRole('list', { name: 'Tickets', exact: true }).getByRole('link')).toHaveCount(1);
  await filter.press('Escape');
  await expect(ivan.getByRole('list', { name: 'Tickets', exact: true }).getByRole('link')).not.toHaveCount(1);

  // Both operators open it; Olga takes it and Ivan sees the lock live.
  await ivan.getByRole('link', { name: new RegExp(subject) }).click();
  await olga.getByRole('link', { name: new RegExp(subject) }).click();
  await expect(messages(olga).getByText('Where is my refund?')).toBeVisible();
  await olga.getByRole('button', { name: 'Take' }).click();
  await expect(olga.getByTestId('lock')).toHaveText('Taken by you');
  await expect(ivan.getByTestId('lock')).toHaveText('Taken by Olga Petrova');
  await expect(reply(ivan)).toBeDisabled();
  await expect(ivan.getByText('Olga Petrova has taken this ticket')).toBeVisible();

  // A canned response, with its placeholders filled, and a quotation join the reply box.
  await olga.getByLabel('Insert canned response').selectOption({ label: 'Greeting' });
  await expect(reply(olga)).toHaveValue(/^Hello Anna Ivanova, thank you for contacting us\. My name is Olga Petrova and I will take care of your request #\d+\.$/);
  await reply(olga).press('Escape');
  await expect(reply(olga)).toHaveValue('');
  // Or by typing a slash: the department's responses, searched as one types; Enter takes
  // the chosen one, Escape puts the list away.
  await reply(olga).fill('/greet');
  const offered = olga.getByRole('listbox', { name: 'Canned responses' });
  await expect(offered.getByRole('option', { name: /^Greeting/ })).toHaveAttribute('aria-selected', 'true');
  await reply(olga).press('Escape');
  await expect(offered).toBeHidden();
  await expect(reply(olga)).toHaveValue('/greet');
  await reply(olga).press('Backspace');
  await expect(offered).toBeVisible();
  await reply(olga).press('Enter');
  await expect(offered).toBeHidden();
  await expect(reply(olga)).toHaveValue(/^Hello Anna Ivanova, thank you for contacting us\./);
  await reply(olga).press('Escape');
  await expect(reply(olga)).toHaveValue('');
  await messages(olga).locator('li', { hasText: 'Where is my refund?' }).getByRole('button', { name: 'Quote' }).click();
  await expect(reply(olga)).toHaveValue('> Where is my refund?\n\n');
  await reply(olga).press('Escape');

  // A hidden note: Ivan sees it as a note; the member never does.
  await olga.getByLabel('Hidden note (staff only)').check();
  await reply(olga).fill(note);
  await reply(olga).press('Enter');
  const ivanNote = messages(ivan).locator('li.note', { hasText: note });
  await expect(ivanNote).toBeVisible();
  await expect(ivanNote.getByText('Hidden note')).toBeVisible();
  expect(await ivanNote.locator('.bubble').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(255, 251, 235)');

  // The member goes back to the list; Olga answers and closes.
  await member.goto('/account');
  await waitLive(member);
  await olga.getByLabel('Hidden note (staff only)').uncheck();
  await reply(olga).fill(answer);
  await olga.getByRole('button', { name: 'Send and close' }).click();
  await expect(messages(olga).getByText('Olga Petrova closed this conversation')).toBeVisible();
  await expect(olga.getByRole('link', { name: new RegExp(subject) })).toHaveCount(0);

  const row = member.getByRole('link', { name: new RegExp(subject) });
  await expect(row.getByTestId('member-status')).toHaveText('New messages');
  await row.click();
  await expect(messages(member).getByText(answer)).toBeVisible();
  await expect(row.getByTestId('member-status')).toHaveText('Closed');
  await expect(messages(member).getByText(note)).toHaveCount(0);

  // She rates the answer; Olga, still on the ticket, sees it live.
  const rating = member.getByRole('group', { name: 'Rate the answer' });
  await rating.getByRole('button', { name: 'Not complete enough' }).click();
  await expect(rating.getByRole('button', { name: 'Not complete enough' })).toHaveAttribute('aria-pressed', 'true');
  await expect(messages(olga).getByText('Anna Ivanova rated the answer: Not complete enough')).toBeVisible();

  // She archives it; it moves to the archive.
  await member.getByRole('button', { name: 'Archive' }).click();
  await expect(member.getByRole('list', { name: 'Archive' }).getByRole('link', { name: new RegExp(subject) })).toBeVisible();

  // She writes again: reopened, out of the archive, back on the board live.
  await reply(member).fill(`One more question ${token}`);
  await reply(member).press('Enter');
  await expect(member.getByRole('list', { name: 'Conversations' }).getByRole('link', { name: new RegExp(subject) })).toBeVisible();
  const boardRow = olga.getByRole('link', { name: new RegExp(subject) });
  await expect(boardRow).toBeVisible();
  await expect(boardRow.getByText('Awaiting reply')).toBeVisible();

  // Nothing of the note or the lock ever reached the member's socket.
  expect(received.length).toBeGreaterThan(0);
  for (const frame of received) {
    expect(frame).not.toContain(note);
    expect(frame).not.toContain('"kind":"note"');
    expect(frame).not.toContain('"kind":"taken"');
  }
});

test('a transfer moves the ticket to the other department queue, live, and the operator keeps talking in it', async ({ browser }) => {
  const token = Date.now().toString(36);
  const subject = `Invoice question ${token}`;
  const member = await signIn(browser, 'david@example.com');
  const ivan = await signIn(browser, 'ivan@desk.example');
  const maria = await signIn(browser, 'maria@desk.example');

  await startConversation(member, 'Customer care', subject, 'Is my invoice correct?');

  await ivan.getByRole('link', { name: new RegExp(subject) }).click();
  await expect(messages(ivan).getByText('Is my invoice correct?')).toBeVisible();
  await expect(maria.getByRole('link', { name: new RegExp(subject) })).toHaveCount(0);

  // Ivan corrects a typo: the member sees the corrected text, marked edited, and the old one in the history.
  await reply(ivan).fill('Teh invoice team will answer');
  await reply(ivan).press('Enter');
  const mine = messages(ivan).locator('li.message', { hasText: 'Teh invoice team will answer' });
  await expect(mine.getByText('Sent')).toBeVisible();
  await mine.getByRole('button', { name: 'Edit' }).click();
  await expect(reply(ivan)).toHaveValue('Teh invoice team will answer');
  await reply(ivan).fill('The invoice team will answer');
  await reply(ivan).press('Enter');
  const corrected = messages(member).locator('li.message', { hasText: 'The invoice team will answer' });
  await expect(corrected.getByText('edited')).toBeVisible();
  await expect(messages(member).getByText('Ivan Sokolov edited a message; it read: “Teh invoice team will answer”')).toBeVisible();

  // Choosing a department only asks; Escape takes the choice back and nothing moves.
  const transfer = ivan.getByLabel('Transfer to department');
  await transfer.selectOption({ label: 'Billing' });
  const ask = ivan.getByRole('group', { name: /^Transfer #\d+ to Billing\?$/ });
  await expect(ask.getByRole('button', { name: 'Transfer', exact: true })).toBeFocused();
  await ivan.keyboard.press('Escape');
  await expect(ask).toBeHidden();
  await expect(transfer).toHaveValue('');
  await expect(transfer).toBeFocused();
  await expect(messages(member).getByText('Ivan Sokolov transferred this conversation to Billing')).toHaveCount(0);
  await transfer.selectOption({ label: 'Billing' });
  await ask.getByRole('button', { name: 'Transfer', exact: true }).click();

  await expect(maria.getByRole('link', { name: new RegExp(subject) })).toBeVisible();
  await expect(messages(member).getByText('Ivan Sokolov transferred this conversation to Billing')).toBeVisible();
  // Ivan passed it on but keeps it: it shows where it is active, and he goes on talking with the member.
  await expect(ivan.getByText('Active at Billing')).toBeVisible();
  await expect(ivan.getByRole('link', { name: new RegExp(subject) })).toBeVisible();
  await reply(ivan).fill('Billing has it; I stay with you meanwhile');
  await reply(ivan).press('Enter');
  await expect(messages(member).getByText('Billing has it; I stay with you meanwhile')).toBeVisible();
});
