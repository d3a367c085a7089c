import { expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { signIn, waitLive, test } from './helpers';
import { firstMailFor, mailServers } from './mailservers';

/** The plain-text part of a raw mail of the desk's (base64), decoded. */
function plainText(raw: string): string {
  const start = raw.indexOf('Content-Type: text/plain');
  const body = raw.slice(start).split(/\r?\n\r?\n/)[1];
  return Buffer.from(body.slice(0, body.indexOf('--')).replace(/\s+/g, ''), 'base64').toString('utf8');
}

test('the administrator lets members sign up; a visitor with a Russian browser signs up, follows the mailed link and lands in her account', async ({ browser }) => {
  const servers = mailServers();
  const address = `vera-${Date.now().toString(36)}@example.org`;

  const ada = await signIn(browser, 'ada@desk.example');
  await ada.goto('/admin');
  const members = ada.getByRole('region', { name: 'Members' });
  const allow = members.getByRole('checkbox', { name: /Members may sign themselves up/ });
  await expect(allow).not.toBeChecked();
  await allow.check();
  await expect(ada.getByRole('status', { name: 'Changes' })).toHaveText('Saved');

  const context = await browser.newContext({ locale: 'ru-RU' });
  const visitor = await context.newPage();
  await visitor.goto('/login');
  await visitor.getByRole('link', { name: 'Зарегистрироваться' }).click();
  await expect(visitor.getByRole('heading', { name: 'Регистрация' })).toBeVisible();
  await visitor.getByLabel('Полное имя').fill('Вера Новикова');
  await visitor.getByLabel('Электронная почта').fill(address);
  await visitor.getByLabel('Пароль', { exact: true }).fill('длинный пароль Веры');
  await visitor.getByLabel('Новый пароль ещё раз').fill('длинный пароль Веры');
  await visitor.getByRole('button', { name: 'Зарегистрироваться' }).click();
  await expect(visitor.getByRole('status')).toContainText('Мы отправили ссылку на ваш адрес');
  const results = await new AxeBuilder({ page: visitor }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(results.violations.map((v) => v.id)).toEqual([]);

  // The mail, in her language, holds the link; following it makes her account and signs her in.
  const text = plainText(await firstMailFor(servers, address));
  expect(text).toContain('Здравствуйте, Вера Новикова.');
  const link = /https?:\/\/\S+\/signup\/confirm\/[0-9a-f]{64}/.exec(text)![0];
  await visitor.goto(link);
  await expect(visitor).toHaveURL(/\/account$/);
  await waitLive(visitor, 'ru');
  await expect(visitor.getByText('Вера Новикова')).toBeVisible();
  await expect(visitor.getByRole('heading', { name: 'Ваши обращения' })).toBeVisible();

  // The link works once.
  const other = await (await browser.newContext({ locale: 'ru-RU' })).newPage();
  await other.goto(link);
  await expect(other.getByRole('alert')).toContainText('Эта ссылка больше не действует');

  await allow.uncheck();
  await expect(ada.getByRole('status', { name: 'Changes' })).toHaveText('Saved');
});
