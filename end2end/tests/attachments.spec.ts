import { expect, Page } from '@playwright/test';
import { messages, reply, signIn, startConversation, test } from './helpers';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/** Opens the conversation `subject` on the operator's board. */
async function openOnBoard(operator: Page, subject: string) {
  await operator.getByRole('list', { name: 'Tickets', exact: true }).getByRole('link', { name: new RegExp(subject) }).click();
}

test('the member pastes a screenshot: the operator sees its preview appear live and opens it full size', async ({ browser }) => {
  const subject = `Error dialog ${Date.now().toString(36)}`;
  const member = await signIn(browser, 'anna@example.com');
  const operator = await signIn(browser, 'olga@desk.example');
  await startConversation(member, 'Customer care', subject, 'An error pops up at checkout');
  await openOnBoard(operator, subject);
  await expect(messages(operator).getByText('An error pops up at checkout')).toBeVisible();

  // A screenshot (800 × 600, drawn in the page) pasted from the clipboard into the reply box.
  await reply(member).focus();
  await member.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 800;
    canvas.height = 600;
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#2f5bea';
    g.fillRect(0, 0, 800, 600);
    g.fillStyle = '#ffffff';
    g.fillRect(100, 100, 600, 400);
    const blob: Blob = await new Promise((done) => canvas.toBlob((b) => done(b!), 'image/png'));
    const clipboard = new DataTransfer();
    clipboard.items.add(new File([blob], 'image.png', { type: 'image/png' }));
    const box = document.querySelector('textarea[aria-label="Your message"]')!;
    box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true }));
  });
  const pending = member.getByRole('list', { name: 'Files to send' });
  await expect(pending.getByText('Pasted image.png')).toBeVisible();
  await expect(pending.getByText('Ready')).toBeVisible();
  await reply(member).fill('This is what I see');
  await reply(member).press('Enter');
  await expect(pending).toHaveCount(0);

  // The operator sees the message with its preview, made by the server (480 pixels wide).
  const preview = messages(operator).getByRole('img', { name: 'Pasted image.png' });
  await expect(preview).toBeVisible();
  await expect(preview).toHaveJSProperty('naturalWidth', 480);
  await expect(messages(member).getByRole('img', { name: 'Pasted image.png' })).toBeVisible();

  // It opens full size over the page; Esc closes it.
  await messages(operator).getByRole('link', { name: 'Open Pasted image.png full size' }).click();
  const lightbox = operator.getByRole('dialog', { name: 'Pasted image.png' });
  await expect(lightbox.getByRole('img', { name: 'Pasted image.png' })).toHaveJSProperty('naturalWidth', 800);
  await expect(lightbox.getByRole('button', { name: 'Close picture' })).toBeFocused();
  await operator.keyboard.press('Escape');
  await expect(lightbox).toHaveCount(0);
});

test('the operator attaches a PDF with the Attach button: the member downloads it with its name and bytes', async ({ browser }) => {
  const subject = `Invoice copy ${Date.now().toString(36)}`;
  const member = await signIn(browser, 'anna@example.com');
  const operator = await signIn(browser, 'olga@desk.example');
  await startConversation(member, 'Customer care', subject, 'Could you send my invoice?');
  await openOnBoard(operator, subject);
  await expect(messages(operator).getByText('Could you send my invoice?')).toBeVisible();

  // Two files chosen, one dropped; the dropped one is taken out again before sending.
  await operator.getByLabel('Attach files').setInputFiles([
    { name: 'Invoice May.pdf', mimeType: 'application/pdf', buffer: PDF },
  ]);
  const dropped = await operator.evaluateHandle(() => {
    const data = new DataTransfer();
    data.items.add(new File(['not for the member'], 'draft notes.txt', { type: 'text/plain' }));
    return data;
  });
  await operator.dispatchEvent('form.composer', 'drop', { dataTransfer: dropped });
  const pending = operator.getByRole('list', { name: 'Files to send' });
  await expect(pending.getByRole('listitem')).toHaveCount(2);
  await expect(pending.getByText('Ready')).toHaveCount(2);
  await pending.getByRole('button', { name: 'Remove draft notes.txt' }).click();
  await expect(pending.getByRole('listitem')).toHaveCount(1);

  // A third file is held on its way (the request waits); its progress shows, and cancelling
  // it takes it out before it ever reaches the server.
  let held = 0;
  await operator.route('**/api/uploads?name=held*', () => { held += 1; });
  await operator.getByLabel('Attach files').setInputFiles([
    { name: 'held archive.zip', mimeType: 'application/zip', buffer: Buffer.from('PK\x03\x04 held') },
  ]);
  await expect(pending.getByRole('progressbar', { name: 'Uploading held archive.zip' })).toBeVisible();
  await expect(operator.getByRole('button', { name: 'Uploading…' })).toBeDisabled();
  await pending.getByRole('button', { name: 'Cancel uploading held archive.zip' }).click();
  await expect(pending.getByRole('listitem')).toHaveCount(1);
  expect(held).toBe(1);
  await reply(operator).fill('Here is your invoice');
  await operator.getByRole('button', { name: 'Send', exact: true }).click();

  // The member sees the card live and downloads it with the right name and bytes.
  const card = messages(member).getByRole('link', { name: 'Download Invoice May.pdf' });
  await expect(card).toContainText('application/pdf');
  await expect(messages(member).getByText('draft notes.txt')).toHaveCount(0);
  const [download] = await Promise.all([member.waitForEvent('download'), card.click()]);
  expect(download.suggestedFilename()).toBe('Invoice May.pdf');
  const fs = await import('node:fs');
  expect(fs.readFileSync((await download.path())!).equals(PDF)).toBe(true);

  // Another member learns nothing of it.
  const href = await card.getAttribute('href');
  const boris = await signIn(browser, 'boris@example.com');
  expect((await boris.request.get(href!)).status()).toBe(404);
});

test('a file over the limit is refused in the reply box before it is sent anywhere', async ({ browser }) => {
  const member = await signIn(browser, 'anna@example.com');
  await startConversation(member, 'Customer care', `Big video ${Date.now().toString(36)}`, 'A recording follows');
  await member.getByLabel('Attach files').setInputFiles([
    { name: 'recording.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(26 * 1024 * 1024, 7) },
  ]);
  const pending = member.getByRole('list', { name: 'Files to send' });
  await expect(pending.getByRole('alert')).toContainText('larger than the 25.0 MB limit');
  // Nothing to send but the refused file: the button stays off until it is taken out.
  await expect(member.getByRole('button', { name: 'Send', exact: true })).toBeDisabled();
  await pending.getByRole('button', { name: 'Remove recording.bin' }).click();
  await expect(pending).toHaveCount(0);
});

test('a member starts a conversation with a document attached; the operator gets it with the first message', async ({ browser }) => {
  const subject = `Contract question ${Date.now().toString(36)}`;
  const member = await signIn(browser, 'anna@example.com');
  const operator = await signIn(browser, 'olga@desk.example');
  await member.getByRole('link', { name: 'New conversation' }).click();
  await member.getByLabel('Department').selectOption({ label: 'Customer care' });
  await member.getByLabel('Subject').fill(subject);
  await member.getByLabel('Attach files').setInputFiles([{ name: 'Contract.pdf', mimeType: 'application/pdf', buffer: PDF }]);
  await expect(member.getByRole('list', { name: 'Files to send' }).getByText('Ready')).toBeVisible();
  await member.getByRole('textbox', { name: 'Message', exact: true }).fill('Is clause 4 still valid?');
  await member.getByRole('textbox', { name: 'Message', exact: true }).press('Enter');
  await expect(messages(member).getByRole('link', { name: 'Download Contract.pdf' })).toBeVisible();

  await openOnBoard(operator, subject);
  await expect(messages(operator).getByText('Is clause 4 still valid?')).toBeVisible();
  await expect(messages(operator).getByRole('link', { name: 'Download Contract.pdf' })).toContainText('application/pdf');
});
