import { expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { messages, reply, signIn, test } from './helpers';
import { firstMailFor, header, mailServers, sendMail } from './mailservers';

test('a mail to the IMAP mailbox appears live on the board; the answer is mailed with the thread headers; the member answers by mail and it threads', async ({ browser }) => {
  const servers = mailServers();
  const token = Date.now().toString(36);
  const inbox = `desk-${token}@desk.example`;
  const member = `reader-${token}@example.org`;

  // Ada connects the support mailbox to the IMAP server.
  const ada = await signIn(browser, 'ada@desk.example');
  await ada.goto('/admin');
  const support = ada.getByRole('region', { name: 'Mailboxes' }).getByRole('listitem', { name: 'support' });
  await support.getByText('Fetch its mail over IMAP').click();
  await support.getByLabel('IMAP server', { exact: true }).fill('127.0.0.1');
  await support.getByLabel('Port', { exact: true }).fill(String(servers.imapPort));
  await support.getByLabel('Protection', { exact: true }).selectOption({ label: 'None (same machine only)' });
  await support.getByLabel('User', { exact: true }).fill(inbox);
  await support.getByLabel('Password', { exact: true }).fill('letmein');
  await support.getByRole('button', { name: 'Connect' }).click();
  await expect(support.getByRole('status')).toContainText(`Fetched over IMAP as ${inbox}`);
  // The page shows when mail was last looked for as it was loaded.
  await expect
    .poll(async () => {
      await ada.reload();
      return support.getByRole('status').textContent();
    })
    .toContain('looked');
  await expect(support.getByRole('alert')).toHaveCount(0);

  // A stranger's mail to the mailbox is live on Olga's board.
  const olga = await signIn(browser, 'olga@desk.example');
  const subject = `Invoice missing ${token}`;
  await sendMail(servers, member, inbox, [
    `From: Reader <${member}>`,
    `To: ${inbox}`,
    `Subject: ${subject}`,
    `Message-ID: <first-${token}@example.org>`,
    'Content-Type: text/plain; charset=UTF-8',
    '',
    'Where is my invoice?',
  ]);
  await olga.getByRole('link', { name: new RegExp(subject) }).click();
  await expect(messages(olga).getByText('Where is my invoice?')).toBeVisible();

  // Olga answers; the member's mailbox gets it, threaded and tagged.
  await reply(olga).fill('It is attached to your account page now.');
  await reply(olga).press('Enter');
  await expect(messages(olga).getByText('It is attached to your account page now.')).toBeVisible();
  const mail = await firstMailFor(servers, member);
  const ticket = new URL(olga.url()).searchParams.get('t')!;
  expect(header(mail, 'In-Reply-To')).toBe(`<first-${token}@example.org>`);
  expect(header(mail, 'References')).toContain(`<first-${token}@example.org>`);
  expect(header(mail, 'From')).toContain('support@desk.example');
  expect(header(mail, 'Message-ID')).toMatch(new RegExp(`^<sb\\.${ticket}\\.`));
  const ours = header(mail, 'Message-ID')!;

  // Her answer by mail, under another subject, arrives live in the open ticket.
  await sendMail(servers, member, inbox, [
    `From: Reader <${member}>`,
    `To: ${inbox}`,
    'Subject: thanks',
    `Message-ID: <second-${token}@example.org>`,
    `In-Reply-To: ${ours}`,
    'Content-Type: text/plain; charset=UTF-8',
    '',
    'Found it, thank you.',
    '',
    'On Mon, 30 Nov 2026 at 10:40, Support <support@desk.example> wrote:',
    '> It is attached to your account page now.',
  ]);
  const found = messages(olga).locator('li.message', { hasText: 'Found it, thank you.' });
  await expect(found).toBeVisible();
  // Her new words show; the history she quoted is folded below them.
  const quote = found.getByText('> It is attached to your account page now.');
  await expect(quote).toBeHidden();
  await found.getByText('Quoted text').click();
  await expect(quote).toBeVisible();

  // Olga opens the mail as it came, in a tab of its own.
  const [original] = await Promise.all([
    olga.context().waitForEvent('page'),
    found.getByRole('link', { name: 'Original mail' }).click(),
  ]);
  await expect(original.getByRole('heading', { name: 'thanks' })).toBeVisible();
  await expect(original.getByText(`Reader <${member}>`)).toBeVisible();
  await expect(original.getByText('> It is attached to your account page now.')).toBeVisible();
  const axe = await new AxeBuilder({ page: original }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await expect(original.getByRole('link', { name: `Ticket #${ticket}` })).toHaveAttribute('href', `/board?t=${ticket}`);
});

test('an administrator sets the relay mail leaves through in /admin; its password is never shown back', async ({ browser }) => {
  const servers = mailServers();
  const ada = await signIn(browser, 'ada@desk.example');
  await ada.goto('/admin');
  const section = ada.getByRole('region', { name: 'Mail out' });
  const state = section.getByRole('status', { name: 'Mail out now' });
  // The settings file's relay is in use until one is set here.
  await expect(state).toContainText(`settings file's relay: ${servers.smtp.host}:${servers.smtp.port}`);

  await section.getByLabel('SMTP server', { exact: true }).fill(servers.smtp.host);
  await section.getByLabel('Port', { exact: true }).fill(String(servers.smtp.port));
  await section.getByLabel('Protection', { exact: true }).selectOption({ label: 'None (same machine only)' });
  await section.getByLabel('User (empty: no sign-in)').fill('desk');
  await section.getByLabel('Password', { exact: true }).fill('relay-secret-e2e');
  await section.getByLabel('From (when a department has no mailbox)').fill('desk@desk.example');
  await section.getByRole('button', { name: 'Save the relay' }).click();
  await expect(state).toContainText(`Sent through ${servers.smtp.host}:${servers.smtp.port} · desk`);
  await expect(section.getByLabel('Password', { exact: true })).toHaveValue('');
  await expect(section.getByLabel('Password', { exact: true })).toHaveAttribute('placeholder', 'unchanged');

  // Reloaded, the page knows a password is kept and never shows it.
  await ada.reload();
  await expect(state).toContainText('· desk');
  expect(await ada.content()).not.toContain('relay-secret-e2e');

  // Without signing in, then forgotten: the settings file's relay again.
  await section.getByLabel('User (empty: no sign-in)').fill('');
  await section.getByRole('button', { name: 'Save the relay' }).click();
  await expect(state).toContainText('without signing in');
  await section.getByRole('button', { name: 'Forget this relay' }).click();
  await expect(state).toContainText("settings file's relay");
});
