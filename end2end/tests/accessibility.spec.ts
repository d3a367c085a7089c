import { expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { signIn, test } from './helpers';

/** Runs axe-core (WCAG 2 A and AA rules) over what the page shows; names every violation. */
async function expectAccessible(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const found = results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, `${where}: ${found.join('\n')}`).toEqual([]);
  // One main heading per page.
  await expect(page.locator('h1'), `${where}: one <h1>`).toHaveCount(1);
}

test('every page passes axe-core in English and in Russian, at desktop and phone widths', async ({ browser }) => {
  // Nineteen pages, each checked in full, in two languages.
  test.setTimeout(150_000);
  for (const language of ['en', 'ru'] as const) {
    const login = await (await browser.newContext({ locale: language === 'ru' ? 'ru-RU' : 'en-US' })).newPage();
    await login.goto('/login');
    await expect(login.locator('body[data-hydrated="true"]')).toBeAttached();
    await expectAccessible(login, `${language} sign-in`);

    const member = await signIn(browser, 'anna@example.com', { language, viewport: { width: 390, height: 844 } });
    await expectAccessible(member, `${language} member's conversations, phone`);
    await member.locator('ul.tickets a').first().click();
    await expect(member.locator('ol.timeline li').first()).toBeVisible();
    await expectAccessible(member, `${language} member's conversation, phone`);
    await member.goto('/account?new=1');
    await expect(member.locator('form.new-conversation')).toBeVisible();
    await expectAccessible(member, `${language} new conversation, phone`);
    await member.goto('/account?form=1');
    await expect(member.locator('form.feedback')).toBeVisible();
    await expectAccessible(member, `${language} feedback form, phone`);
    await member.goto('/password');
    await expect(member.locator('form.login')).toBeVisible();
    await expectAccessible(member, `${language} password change, phone`);

    const olga = await signIn(browser, 'olga@desk.example', { language });
    await expectAccessible(olga, `${language} board`);
    await olga.locator('ul.tickets a').first().click();
    await expect(olga.locator('ol.timeline li').first()).toBeVisible();
    await expectAccessible(olga, `${language} ticket`);
    await olga.goto('/incoming');
    await expect(olga.locator('.incoming-page')).toBeVisible();
    await expectAccessible(olga, `${language} incoming messages`);
    await olga.goto('/calls');
    await expect(olga.locator('main.calls h2').first()).toBeVisible();
    await expectAccessible(olga, `${language} calls`);

    const ada = await signIn(browser, 'ada@desk.example', { language });
    await ada.goto('/admin');
    await expect(ada.locator('section.admin-section').first()).toBeVisible();
    await expectAccessible(ada, `${language} administration`);
    await ada.goto('/wall');
    await expect(ada.locator('table.wall-table').first()).toBeVisible();
    await expectAccessible(ada, `${language} moderator's wall`);
    await ada.goto('/stats');
    await expect(ada.locator('section.stats-section').first()).toBeVisible();
    await expectAccessible(ada, `${language} statistics`);
    await ada.goto('/tokens');
    await ada.locator('#token-name').fill(`Checker ${language}`);
    await ada.locator('form.new-token button[type="submit"]').click();
    await expect(ada.locator('#fresh-secret')).toBeVisible();
    await expectAccessible(ada, `${language} API tokens with a new secret`);
  }
});
