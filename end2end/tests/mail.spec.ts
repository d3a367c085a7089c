import { expect } from '@playwright/test';
import { messages, signIn, test } from './helpers';

test('an administrator keeps the mailboxes; a mail handed in appears live on the board and its reply threads', async ({ browser, playwright, baseURL }) => {
  const token = Date.now().toString(36);
  const ada = await signIn(browser, 'ada@desk.example');
  await ada.goto('/admin');
  const section = ada.getByRole('region', { name: 'Mailboxes' });
  await expect(section.getByRole('listitem', { name: 'support' })).toContainText('support@desk.example');
  await section.getByLabel('Mailbox name').fill('returns');
  await section.getByLabel('Address').fill('returns@desk.example');
  await section.getByLabel('Department').selectOption({ label: 'Billing' });
  await section.getByRole('button', { name: 'Add mailbox' }).click();
  await expect(section.getByRole('listitem', { name: 'returns' })).toContainText('Billing');

  // The mail gateway's token, made by the administrator.
  const made = await ada.request.post('/api/tokens', {
    headers: { Origin: baseURL! },
    data: { name: `Mail gateway ${token}`, scope: 'administrator' },
  });
  expect(made.status()).toBe(201);
  const { secret } = await made.json();
  const gateway = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${secret}` } });
  const handIn = (lines: string[], mailbox = 'support') =>
    gateway.post(`/api/mailboxes/${mailbox}/mail`, { headers: { 'Content-Type': 'message/rfc822' }, data: lines.join('\r\n') });

  const olga = await signIn(browser, 'olga@desk.example');
  const subject = `Parcel never arrived ${token}`;
  const first = await handIn([
    'From: Anna Ivanova <anna@example.com>',
    'To: support@desk.example',
    `Subject: ${subject}`,
    `Message-ID: <first-${token}@example.com>`,
    'Content-Type: text/plain; charset=UTF-8',
    '',
    'My parcel never arrived.',
    '',
  ]);
  expect(first.status()).toBe(200);
  const { ticket_id: ticket } = await first.json();

  // Live on the board; opened, it reads as the member wrote it.
  await olga.getByRole('link', { name: new RegExp(subject) }).click();
  await expect(messages(olga).getByText('My parcel never arrived.')).toBeVisible();

  // Her answer by mail, with a new subject, threads by In-Reply-To and arrives live.
  const reply = await handIn([
    'From: Anna Ivanova <anna@example.com>',
    'To: support@desk.example',
    'Subject: tracking',
    `Message-ID: <second-${token}@example.com>`,
    `In-Reply-To: <first-${token}@example.com>`,
    'Content-Type: text/plain; charset=UTF-8',
    '',
    'The tracking number is 42.',
    '',
    'On Monday, Support wrote:',
    '> What is the tracking number?',
    '',
  ]);
  expect((await reply.json()).ticket_id).toBe(ticket);
  await expect(messages(olga).getByText('The tracking number is 42.')).toBeVisible();
  // The history it quoted is not part of her message: folded beneath it until asked for.
  const answer = messages(olga).locator('li.message', { hasText: 'The tracking number is 42.' });
  await expect(answer.locator('p.body').first()).toHaveText('The tracking number is 42.');
  await expect(answer.getByText('What is the tracking number?')).toBeHidden();
  await answer.getByText('Quoted text').click();
  await expect(answer.getByText('What is the tracking number?')).toBeVisible();

  // A stranger writes to billing (no new members there): the mail waits in Incoming; Olga
  // reads it and makes it a ticket of Billing, which opens on the board.
  const question = `Shipping to Norway ${token}`;
  const stranger = await handIn(
    [
      'From: Someone New <stranger@elsewhere.example>',
      'To: billing@desk.example',
      `Subject: ${question}`,
      `Message-ID: <stranger-${token}@elsewhere.example>`,
      'Content-Type: text/plain; charset=UTF-8',
      '',
      'Hello, do you ship to Norway?',
      '',
    ],
    'billing',
  );
  expect((await stranger.json()).reason).toBe('unknown_sender');
  await olga.getByRole('navigation', { name: 'Places' }).getByRole('link', { name: 'Incoming' }).click();
  const mail = olga.getByRole('listitem', { name: question });
  await expect(mail).toContainText('From an address no member has');
  await mail.getByText('Read the mail').click();
  await expect(mail.getByText('Hello, do you ship to Norway?')).toBeVisible();
  await mail.getByLabel('Department').selectOption({ label: 'Billing' });
  await mail.getByRole('button', { name: 'Make a ticket' }).click();
  await expect(olga.getByRole('status')).toContainText('made from the mail');
  await expect(olga.getByRole('listitem', { name: question })).toHaveCount(0);
  await olga.goto('/board');
  await expect(olga.getByRole('link', { name: new RegExp(question) })).toBeVisible();

  // An HTML mail waiting in Incoming reads safely on its own page: formatted in a sandboxed
  // frame without its script, the tracking image held back until asked for.
  const fancy = `Newsletter ${token}`;
  const html = await handIn(
    [
      'From: Shop <news@shop.example>',
      'To: billing@desk.example',
      `Subject: ${fancy}`,
      `Message-ID: <fancy-${token}@shop.example>`,
      'Content-Type: text/html; charset=UTF-8',
      '',
      '<h2>Our <b>winter</b> prices</h2><script>document.title="owned"</script>',
      '<img src="https://tracker.example/open.gif" alt="pixel"><p onclick="x()">See you soon.</p>',
      '',
    ],
    'billing',
  );
  expect((await html.json()).outcome).toBe('incoming');
  await olga.goto('/incoming');
  const item = olga.getByRole('listitem', { name: fancy });
  await item.getByRole('link', { name: 'Original mail' }).click();
  await expect(olga.getByRole('heading', { name: fancy, level: 1 })).toBeVisible();
  await expect(olga.getByText('Shop <news@shop.example>')).toBeVisible();
  const frame = olga.frameLocator('iframe[title="The mail as formatted"]');
  await expect(frame.getByRole('heading', { name: 'Our winter prices' })).toBeVisible();
  await expect(frame.locator('script')).toHaveCount(0);
  await expect(frame.locator('img')).toHaveCount(1);
  await expect(frame.locator('img')).not.toHaveAttribute('src');
  await expect(olga.getByRole('heading', { name: fancy, level: 1 })).toBeVisible();
  await expect(olga).not.toHaveTitle('owned');
  await olga.getByRole('link', { name: 'Show images from the internet' }).click();
  await expect(olga).toHaveURL(/remote=1/);
  await expect(frame.locator('img')).toHaveAttribute('src', 'https://tracker.example/open.gif');
  await gateway.dispose();
});
