import { expect, Page } from '@playwright/test';
import { reply, setCareTargets, signIn, startConversation, waitLive, test } from './helpers';

const MINUTE = 60_000;

/** The wall's row of the ticket with `subject`. */
function wallRow(page: Page, subject: string) {
  return page.getByTestId('wall-row').filter({ has: page.getByRole('link', { name: new RegExp(subject) }) });
}

test("the moderator's wall: every open ticket live, who views and replies, the lock and its time, the target; release and reassign in place", async ({ browser }) => {
  const token = Date.now().toString(36);
  const subject = `Wall parcel ${token}`;

  // Customer care answers first within 30 minutes, then within 10.
  await setCareTargets(browser);

  // An operator is sent home from the wall; the moderator has it in the top bar.
  const olga = await signIn(browser, 'olga@desk.example');
  await expect(olga.getByRole('link', { name: 'Wall', exact: true })).toHaveCount(0);
  await olga.goto('/wall');
  await expect(olga).toHaveURL(/\/board$/);
  await waitLive(olga);

  const mike = await signIn(browser, 'mike@desk.example', { clock: true });
  await mike.getByRole('link', { name: 'Wall', exact: true }).click();
  await expect(mike).toHaveURL(/\/wall$/);
  await waitLive(mike);
  await expect(mike.getByRole('heading', { level: 1, name: "Moderator's wall" })).toBeVisible();
  const team = mike.getByRole('table', { name: 'Team' });
  await expect(team.getByRole('row', { name: /Olga Petrova/ })).toContainText('Online');

  // A member's new ticket appears live in its department, waiting, on time.
  const member = await signIn(browser, 'anna@example.com');
  await startConversation(member, 'Customer care', subject, 'It has been a week');
  const section = mike.getByRole('region', { name: /^Customer care/ });
  const row = wallRow(mike, subject);
  await expect(section.getByTestId('wall-row').filter({ hasText: subject })).toBeVisible();
  await expect(row.getByTestId('wall-waiting')).toHaveText(/\d+ s/);
  await expect(row.getByTestId('wall-sla')).toHaveText('On time');
  await expect(row).toContainText('Nobody has taken it');

  // Olga opens it, takes it and writes: the wall shows her viewing, then replying, and her lock.
  await olga.getByRole('list', { name: 'Tickets', exact: true }).getByRole('link', { name: new RegExp(subject) }).click();
  await expect(row.locator('.tag.here', { hasText: 'Olga Petrova' })).toHaveText('Olga Petrova viewing');
  await expect(row.locator('.tag.here', { hasText: 'Anna Ivanova' })).toHaveText('Anna Ivanova viewing');
  await olga.getByRole('button', { name: 'Take', exact: true }).click();
  await expect(row.locator('.tag.locked')).toHaveText(/^Olga Petrova · \d+ s$/);
  await expect(team.getByRole('row', { name: /Olga Petrova/ }).getByRole('cell').last()).not.toHaveText('0');
  await reply(olga).fill('Let me check with the');
  await expect(row.locator('.tag.here', { hasText: 'Olga Petrova' })).toHaveText('Olga Petrova replying');

  // Time passes on the wall's clock: the lock's time and the wait grow, the target is missed.
  await mike.clock.fastForward(31 * MINUTE);
  await expect(row.getByTestId('wall-sla')).toHaveText('Past target');
  await expect(row.getByTestId('wall-waiting')).toHaveText(/^31 min$/);
  await expect(row.locator('.tag.locked')).toHaveText(/^Olga Petrova · 31 min$/);
  await expect(mike.getByRole('table', { name: 'Departments' }).getByRole('row', { name: /^Customer care/ }).locator('td.late')).toBeVisible();

  // The moderator hands it to Ivan from the wall: Olga sees it is no longer hers.
  const ivan = await signIn(browser, 'ivan@desk.example');
  await row.getByLabel(/^Reassign #\d+$/).selectOption({ label: 'Ivan Sokolov' });
  await expect(row.locator('.tag.locked')).toHaveText(/^Ivan Sokolov · /);
  await expect(olga.getByTestId('lock')).toHaveText('Taken by Ivan Sokolov');

  // And releases it: nobody holds it anywhere.
  await row.getByRole('button', { name: /^Release #\d+ from Ivan Sokolov$/ }).click();
  await expect(row).toContainText('Nobody has taken it');
  await expect(olga.getByText('Nobody has taken it')).toBeVisible();
  await ivan.context().close();

  // Closed, it leaves the wall.
  await olga.getByRole('button', { name: 'Take', exact: true }).click();
  await expect(olga.getByTestId('lock')).toHaveText('Taken by you');
  await reply(olga).fill('It arrives tomorrow');
  await olga.getByRole('button', { name: 'Send and close' }).click();
  await expect(row).toHaveCount(0);
});
