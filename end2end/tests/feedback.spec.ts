import { expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { messages, reply, signIn, test } from './helpers';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

async function expectAccessible(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const found = results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, `${where}: ${found.join('\n')}`).toEqual([]);
}

test('a member sends the feedback form with a service, a category and a file; it waits in line; the operator sees its fields and answers it live', async ({ browser }) => {
  const subject = `Site down ${Date.now().toString(36)}`;
  const anna = await signIn(browser, 'anna@example.com');
  await anna.getByRole('link', { name: 'Feedback form' }).click();
  const form = anna.getByRole('form', { name: 'Feedback form' });
  await expect(form).toBeVisible();
  await expectAccessible(anna, 'the feedback form');

  // Sent empty: each field says what it wants, beside it.
  await form.getByRole('button', { name: 'Send' }).click();
  await expect(form.getByText('Give your request a subject.')).toBeVisible();
  await expect(form.getByLabel('Subject')).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('Subject').fill(subject);
  await form.getByRole('button', { name: 'Send' }).click();
  await expect(form.getByText('Describe your question.')).toBeVisible();
  await expect(form.getByText('Give your request a subject.')).toHaveCount(0);

  // Filled in: her own service, a category, a criticality, the answer here, a file.
  await form.getByLabel('Department').selectOption({ label: 'Customer care' });
  await form.getByLabel('Related service').selectOption({ label: 'Hosting Start (hosting · anna.example.net) — Active' });
  await form.getByLabel('Category').selectOption({ index: 1 });
  const category = (await form.getByLabel('Category').locator('option:checked').textContent())!.trim();
  await form.getByLabel('Criticality').selectOption({ index: 1 });
  await form.getByRole('radio', { name: 'Here, in my conversations' }).check();
  await form.getByRole('textbox', { name: 'Description' }).fill('The site shows an error since this morning.');
  await form.getByLabel('Attach files').setInputFiles([{ name: 'Error log.pdf', mimeType: 'application/pdf', buffer: PDF }]);
  await expect(form.getByRole('list', { name: 'Files to send' }).getByText('Ready')).toBeVisible();
  await form.getByRole('button', { name: 'Send' }).click();

  // It opens as her conversation: what she filled in, her file, and her place in line.
  await expect(anna.getByRole('heading', { name: subject })).toBeVisible();
  const fields = messages(anna).getByRole('definition');
  await expect(fields.filter({ hasText: 'Hosting Start' })).toBeVisible();
  await expect(fields.filter({ hasText: category })).toBeVisible();
  await expect(messages(anna).getByRole('link', { name: /Error log\.pdf/ })).toBeVisible();
  const waiting = anna.getByRole('status').filter({ hasText: 'in line' });
  await expect(waiting).toContainText(/You are number \d+ in line\./);
  const item = anna.getByRole('link', { name: new RegExp(subject) });
  await expect(item).toContainText(/No\. \d+ in line/);

  // The operator finds it in the Feedback-form queue with its fields, and answers.
  const olga = await signIn(browser, 'olga@desk.example');
  await olga.getByRole('button', { name: 'Filters' }).click();
  await olga.getByLabel('Filter by queue').selectOption({ label: 'Feedback form' });
  await olga.getByRole('list', { name: 'Tickets', exact: true }).getByRole('link', { name: new RegExp(subject) }).click();
  const log = messages(olga);
  await expect(log.getByText('Anna Ivanova sent the feedback form to Customer care')).toBeVisible();
  await expect(log.getByRole('definition').filter({ hasText: 'Hosting Start (hosting · anna.example.net)' })).toBeVisible();
  await expect(log.getByRole('definition').filter({ hasText: 'Here, in my conversations' })).toBeVisible();
  await reply(olga).fill('We restarted your site: it is up again.');
  await reply(olga).press('Enter');

  // The answer reaches her live, and she no longer waits in line.
  await expect(messages(anna).getByText('We restarted your site: it is up again.')).toBeVisible();
  await expect(waiting).toHaveCount(0);
  await expect(item).not.toContainText('in line');
});

test('the feedback form speaks Russian: its fields, its choices and what it refuses', async ({ browser }) => {
  const boris = await signIn(browser, 'boris@example.com', { language: 'ru' });
  await boris.getByRole('link', { name: 'Форма обратной связи' }).click();
  const form = boris.getByRole('form', { name: 'Форма обратной связи' });
  await expect(form.getByRole('radio', { name: 'Здесь, с подтверждением получения по e-mail' })).toBeVisible();
  await expect(form.getByLabel('Связанная услуга')).toContainText('VPS 2 (vps · vps2002.example.net) — Приостановлена');
  await form.getByRole('button', { name: 'Отправить' }).click();
  await expect(form.getByText('Укажите тему обращения.')).toBeVisible();
  await form.getByLabel('Тема').fill('Не работает VPS');
  await form.getByRole('button', { name: 'Отправить' }).click();
  await expect(form.getByText('Опишите ваш вопрос.')).toBeVisible();
});
