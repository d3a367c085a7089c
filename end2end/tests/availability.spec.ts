import { expect } from '@playwright/test';
import { signIn, test } from './helpers';

test('members learn live whether an operator of the department is online; staff see who is away', async ({ browser }) => {
  const token = Date.now().toString(36);
  const department = `Warranty ${token}`;
  const vera = `Vera ${token}`;
  const ada = await signIn(browser, 'ada@desk.example');

  // A department of its own with one new operator, so that nobody else is online for it.
  // As the desk's own pages do, a write names where it comes from.
  const headers = { origin: new URL(ada.url()).origin };
  const created = await ada.request.post('/api/admin', { headers, data: { action: 'create_department', name: department, public: true } });
  expect(created.ok()).toBeTruthy();
  const id = (await created.json()).departments.find((d: { name: string }) => d.name === department).id;
  const hired = await ada.request.post('/api/admin', {
    headers,
    data: { action: 'create_employee', email: `vera.${token}@desk.example`, name: vera, role: 'operator', password: 'switchboard', departments: [id] },
  });
  expect(hired.ok()).toBeTruthy();

  const member = await signIn(browser, 'anna@example.com');
  await member.getByRole('link', { name: 'New conversation' }).click();
  await member.getByLabel('Department').selectOption({ label: department });
  const support = member.getByRole('status', { name: 'Support' });
  await expect(support).toHaveText('No operator is online right now: we will answer here as soon as we are back.');

  // Vera signs in: the member's form says so at once.
  const operator = await signIn(browser, `vera.${token}@desk.example`);
  await expect(support).toHaveText('An operator is online and will answer soon.');
  await expect(ada.getByLabel('Team')).toContainText(vera);

  // She steps away, then comes back.
  await operator.getByLabel('Away').check();
  await expect(support).toHaveText('No operator is online right now: we will answer here as soon as we are back.');
  await expect(ada.getByLabel('Team')).toContainText(`Away: ${vera}`);
  await operator.getByLabel('Away').uncheck();
  await expect(support).toHaveText('An operator is online and will answer soon.');

  // She signs out (her page closes): nobody is online for the department again.
  await operator.context().close();
  await expect(support).toHaveText('No operator is online right now: we will answer here as soon as we are back.');
});
