import { Browser, Page, expect, test as base } from '@playwright/test';

/** Every test: the browser contexts it opened (each person signed in) are closed when it
 *  ends, so that their pages and sockets do not weigh on the tests after it. */
export const test = base.extend<{ closeContexts: void }>({
  closeContexts: [
    async ({ browser }, use) => {
      await use();
      await Promise.all(browser.contexts().map((context) => context.close()));
    },
    { auto: true },
  ],
});

export const PASSWORD = 'switchboard';

/** The words the sign-in and the connection state are found by, in each language. */
const WORDS = {
  en: { email: 'Email', password: 'Password', signIn: 'Sign in', live: 'Live' },
  ru: { email: 'Электронная почта', password: 'Пароль', signIn: 'Войти', live: 'На связи' },
};
export type Language = keyof typeof WORDS;

/** Signs in through the real login page in a fresh browser context whose browser asks for
 *  `language` (English by default); waits until live. */
export async function signIn(
  browser: Browser,
  email: string,
  options: {
    viewport?: { width: number; height: number };
    language?: Language;
    clock?: boolean;
    permissions?: string[];
    initScript?: string;
    /** A phone: a touch screen, no mouse. */
    touch?: boolean;
  } = {},
): Promise<Page> {
  const language = options.language ?? 'en';
  const words = WORDS[language];
  const context = await browser.newContext({
    viewport: options.viewport,
    locale: language === 'ru' ? 'ru-RU' : 'en-US',
    permissions: options.permissions,
    isMobile: options.touch,
    hasTouch: options.touch,
  });
  if (options.initScript) await context.addInitScript(options.initScript);
  // A page whose clock the test moves (it runs on its own until then).
  if (options.clock) await context.clock.install();
  const page = await context.newPage();
  await page.goto('/login');
  await expect(page.locator('html')).toHaveAttribute('lang', language);
  await page.getByLabel(words.email).fill(email);
  await page.getByLabel(words.password).fill(PASSWORD);
  await page.getByRole('button', { name: words.signIn }).click();
  await page.waitForURL(/\/(account|board)/);
  await waitLive(page, language);
  return page;
}

/** Waits until the page is hydrated and its socket is connected. */
export async function waitLive(page: Page, language: Language = 'en'): Promise<void> {
  await expect(page.locator('body[data-hydrated="true"]')).toBeAttached();
  await expect(page.getByTestId('link-state')).toHaveText(WORDS[language].live);
}

export function messages(page: Page) {
  return page.getByRole('list', { name: 'Messages' });
}

/** The reply box of the open conversation. */
export function reply(page: Page) {
  return page.getByRole('textbox', { name: 'Your message' });
}

/** A member starts a conversation from the "New conversation" form (Enter sends); waits until
 *  its first message shows in the conversation. */
export async function startConversation(member: Page, department: string, subject: string, body: string): Promise<void> {
  await member.getByRole('link', { name: 'New conversation' }).click();
  await member.getByLabel('Department').selectOption({ label: department });
  await member.getByLabel('Subject').fill(subject);
  await member.getByRole('textbox', { name: 'Message', exact: true }).fill(body);
  await member.getByRole('textbox', { name: 'Message', exact: true }).press('Enter');
  await expect(messages(member).getByText(body)).toBeVisible();
}

/** The administrator sets Customer care's response targets: the first answer within 30
 *  minutes, the next within 10. */
export async function setCareTargets(browser: Browser): Promise<void> {
  const ada = await signIn(browser, 'ada@desk.example');
  await ada.goto('/admin');
  await waitLive(ada);
  const care = ada.getByRole('listitem', { name: 'Customer care' });
  await care.getByLabel('First answer within, min').fill('30');
  await care.getByLabel('Next answer within, min').fill('10');
  await care.getByRole('button', { name: 'Save targets' }).click();
  await expect(ada.getByText('Saved', { exact: true })).toBeVisible();
  await ada.context().close();
}
