import { expect, test } from './fixtures';
import { goTo, screenshot, waitForReady } from './helpers';

const KEY = 'sk-e2e-0123456789abcdef0123';
/** What main answers when the OS keychain is basic_text (src-main/app/keychain.ts). */
const BASIC_TEXT_REFUSAL = {
  error: {
    code: 'invalid_input',
    message:
      'no OS keyring was found (Electron reports the "basic_text" backend), so the key would be stored readable by anyone with your files; allow plain-text storage to store it anyway, or use the provider\'s apiKeyEnv environment variable',
    problems: [],
  },
};

test('a provider is added and edited from Settings, with refusals shown by their field', async ({
  page,
}) => {
  await waitForReady(page);
  await goTo(page, '#/settings');
  await expect(page.locator('[data-settings-state="ready"]')).toBeVisible();

  // Add: what the contract refuses is said beside its field, before anything is sent.
  await page.locator('[data-action="add-provider"]').click();
  const form = page.locator('[data-provider-form="new"]');
  await expect(form.locator('[data-field="provider-id"]')).toBeFocused();
  await form.locator('[data-field="provider-id"]').fill('sim-together');
  await form.locator('[data-field="provider-baseUrl"]').fill('api.acme.test');
  await form.locator('[data-field="provider-rpm"]').fill('1.5');
  await form.locator('[data-action="save-provider"]').click();
  await expect(form.locator('[data-field-problem="id"]')).toContainText('already exists');
  await expect(form.locator('[data-field-problem="baseUrl"]')).toContainText('http(s) URL');
  await expect(form.locator('[data-field-problem="rpm"]')).toContainText('whole number');
  await expect(form.locator('[data-field="provider-id"]')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('[data-field="provider-id"]')).toBeFocused();
  await screenshot(page, 'settings-provider-errors');

  await form.locator('[data-field="provider-id"]').fill('acme');
  await form.locator('[data-field="provider-baseUrl"]').fill('https://api.acme.test/v1');
  await form.locator('[data-field="provider-apiKeyEnv"]').fill('ACME_API_KEY');
  await form.locator('[data-field="provider-rpm"]').fill('120');
  await form.locator('[data-field="provider-rpm"]').press('Enter');
  await expect(page.locator('[data-saved-provider="acme"]')).toBeVisible();
  const acme = page.locator('[data-provider="acme"]');
  await expect(acme.locator('[data-provider-limits]')).toContainText('8 at once · 120 rpm');
  await expect(acme.locator('[data-provider-limits]')).toContainText('ACME_API_KEY');
  await expect(acme.locator('[data-key-source]')).toHaveAttribute('data-key-source', 'none');

  // Edit: the form starts from the stored provider; Esc closes it and returns to its button.
  const together = page.locator('[data-provider="sim-together"]');
  await together.locator('[data-action="edit-provider"]').click();
  const edit = page.locator('[data-provider-form="sim-together"]');
  await expect(edit.locator('[data-field="provider-id"]')).toBeDisabled();
  await expect(edit.locator('[data-field="provider-rpm"]')).toHaveValue('600');
  await edit.locator('[data-field="provider-maxConcurrency"]').fill('4');
  await edit.locator('[data-action="save-provider"]').click();
  await expect(page.locator('[data-saved-provider="sim-together"]')).toBeVisible();
  await expect(together.locator('[data-provider-limits]')).toContainText('4 at once · 600 rpm');
  // A simulated provider is never sent a key: an apiKeyEnv on it is said to be ignored, once.
  await together.locator('[data-action="edit-provider"]').click();
  await expect(
    edit.locator('label', { has: page.locator('[data-field="provider-apiKeyEnv"]') }),
  ).toHaveAttribute('title', 'Ignored: a simulated provider is never sent a key');
  await edit.locator('[data-field="provider-apiKeyEnv"]').fill('TOGETHER_API_KEY');
  await edit.locator('[data-action="save-provider"]').click();
  await expect(page.locator('[data-saved-provider="sim-together"]')).toBeVisible();
  await expect(together.locator('[data-key-source]')).toHaveText(
    'no key needed (simulated: TOGETHER_API_KEY is never sent)',
  );
  await expect(together.locator('[data-provider-limits]')).not.toContainText('TOGETHER_API_KEY');
  await together.locator('[data-action="edit-provider"]').click();
  await expect(edit).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(edit).toHaveCount(0);
  await expect(together.locator('[data-action="edit-provider"]')).toBeFocused();
});

test('where the OS keychain is basic_text, a key is stored only with the plain-text opt-in', async ({
  page,
}) => {
  await waitForReady(page);
  await goTo(page, '#/settings');
  await page.locator('[data-action="add-provider"]').click();
  const form = page.locator('[data-provider-form="new"]');
  await form.locator('[data-field="provider-id"]').fill('acme');
  await form.locator('[data-field="provider-baseUrl"]').fill('https://api.acme.test/v1');
  await form.locator('[data-action="save-provider"]').click();
  const acme = page.locator('[data-provider="acme"]');
  await expect(acme).toBeVisible();

  // Serve mode keeps keys in memory: answer the first save as the desktop app on a machine
  // without a keyring does, and record what the console sent each time.
  const sent: unknown[] = [];
  await page.route('**/api/settings.setKey', async (route) => {
    sent.push(route.request().postDataJSON());
    if (sent.length === 1) await route.fulfill({ status: 400, json: BASIC_TEXT_REFUSAL });
    else await route.continue();
  });

  await acme.locator('[data-field="key"]').fill(KEY);
  await expect(acme.locator('[data-field="key"]')).toHaveAttribute('type', 'password');
  await expect(acme.locator('[data-plain-text-consent]')).toHaveCount(0);
  await acme.locator('[data-action="save-key"]').click();
  await expect(acme.locator('.inline-error')).toContainText('basic_text');
  const consent = acme.locator('[data-field="allow-plain-text"]');
  await expect(consent).not.toBeChecked();
  await expect(acme.locator('[data-plain-text-consent]')).toContainText(
    'Allow plain-text storage (not encrypted)',
  );
  // The typed key is kept for the retry, still masked.
  await expect(acme.locator('[data-field="key"]')).toHaveValue(KEY);
  await screenshot(page, 'settings-plain-text-consent');

  await consent.check();
  await acme.locator('[data-action="save-key"]').click();
  await expect(acme.locator('[data-key-masked]')).toBeVisible();
  expect(sent).toEqual([
    { providerId: 'acme', key: KEY, allowPlainText: false },
    { providerId: 'acme', key: KEY, allowPlainText: true },
  ]);
  await expect(acme.locator('[data-field="key"]')).toHaveValue('');
  await expect(page.locator('body')).not.toContainText(KEY);
});
