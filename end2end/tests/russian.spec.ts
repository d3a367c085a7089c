import { expect } from '@playwright/test';
import { PASSWORD, reply, signIn, waitLive, test } from './helpers';

/** The Russian plural form for `n`: 1 сообщение, 2 сообщения, 5 сообщений. */
function russianForm(n: number, one: string, few: string, many: string): string {
  const ten = n % 10;
  const hundred = n % 100;
  if (ten === 1 && hundred !== 11) return one;
  if (ten >= 2 && ten <= 4 && (hundred < 12 || hundred > 14)) return few;
  return many;
}

test('a member and an operator work the desk in Russian; the switch changes it at once, keeps the draft, and is remembered', async ({ browser }) => {
  const token = `б${Date.now().toString(36)}`;

  // A member whose browser asks for Russian gets the whole desk in Russian.
  const member = await signIn(browser, 'elena@example.com', { language: 'ru' });
  await expect(member.getByRole('heading', { name: 'Ваши обращения' })).toBeVisible();
  await member.getByRole('link', { name: 'Новое обращение' }).click();
  await member.getByLabel('Отдел').selectOption({ label: 'Customer care' });
  await member.getByLabel('Тема').fill(`Баллы ${token}`);
  const first = member.getByRole('textbox', { name: 'Сообщение', exact: true });
  await first.fill(`Не начислились баллы за покупку ${token}`);
  await first.press('Enter');
  const memberMessages = member.getByRole('list', { name: 'Сообщения' });
  await expect(memberMessages.getByText(`Не начислились баллы за покупку ${token}`)).toBeVisible();
  await expect(memberMessages.getByText('Elena Rossi открыл(а) обращение в отделе «Customer care»')).toBeVisible();

  // An operator on an English browser switches to Russian in the middle of a reply: every
  // word changes at once, and what he typed stays.
  const ivan = await signIn(browser, 'ivan@desk.example');
  await expect(ivan.getByRole('heading', { name: /^Queue/ })).toBeVisible();
  await ivan.getByRole('list', { name: 'Tickets', exact: true }).getByRole('link', { name: new RegExp(`Баллы ${token}`) }).click();
  await reply(ivan).fill('Проверяю начисление');
  await ivan.getByRole('combobox', { name: 'Language' }).selectOption('ru');
  await expect(ivan.getByRole('heading', { name: /^Очередь/ })).toBeVisible();
  await expect(ivan.locator('html')).toHaveAttribute('lang', 'ru');
  const box = ivan.getByRole('textbox', { name: 'Ваше сообщение' });
  await expect(box).toHaveValue('Проверяю начисление');
  await ivan.getByRole('button', { name: 'Взять' }).click();
  await expect(ivan.getByTestId('lock')).toHaveText('Взят вами');
  await box.fill('Баллы начислены, проверьте, пожалуйста.');
  await ivan.getByRole('button', { name: 'Отправить', exact: true }).click();
  await expect(ivan.getByRole('list', { name: 'Сообщения' }).getByText('Ivan Sokolov взял(а) запрос')).toBeVisible();

  // The member reads the answer live, in Russian.
  await expect(memberMessages.getByText('Баллы начислены, проверьте, пожалуйста.')).toBeVisible();

  // Her search counts in Russian plural forms.
  await member.getByRole('searchbox', { name: 'Фильтр запросов' }).fill(token);
  const found = member.getByRole('status').filter({ hasText: /^Найдено/ });
  await expect(found).toHaveText(/^Найдено \d+ сообщени(е|я|й) по запросу «/);
  const text = (await found.textContent()) ?? '';
  const n = Number(/Найдено (\d+)/.exec(text)?.[1]);
  expect(text).toContain(`${n} ${russianForm(n, 'сообщение', 'сообщения', 'сообщений')}`);

  // The server answers him in Russian too: a ticket that does not exist.
  const refusal = await ivan.evaluate(async () => (await fetch('/api/tickets/987654')).json());
  expect(refusal).toEqual({ code: 'not_found', message: 'запрос не найден' });

  // His choice is kept on the server: signing in from a new English browser, the desk is Russian.
  const elsewhere = await browser.newContext({ locale: 'en-US' });
  const page = await elsewhere.newPage();
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Email').fill('ivan@desk.example');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/board/);
  await waitLive(page, 'ru');
  await expect(page.getByRole('heading', { name: /^Очередь/ })).toBeVisible();

  // And back to English from there: his first screen follows at once.
  await page.getByRole('combobox', { name: 'Язык' }).selectOption('en');
  await expect(page.getByRole('heading', { name: /^Queue/ })).toBeVisible();
  await expect(ivan.getByRole('heading', { name: /^Queue/ })).toBeVisible();
});
