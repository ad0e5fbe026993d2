import { expect, test } from './fixtures';
import { goTo, screenshot, showRow, waitForReady } from './helpers';

test('first launch shows the simulated fleet, untested, with what to do next', async ({ page }) => {
  await waitForReady(page);
  await expect(page.locator('.page[data-page="fleet"]')).toBeVisible();
  await expect(page.locator('[data-grid-rows]')).toHaveAttribute('data-grid-rows', '42');
  await expect(page.getByText('simulated fleet', { exact: true })).toBeVisible();
  await expect(page.locator('.coverage')).toHaveText(/^0 of \d+ active models working/);
  await expect(page.locator('[data-hint="first-canary"]')).toBeVisible();
  const rows = page.locator('[role="row"][data-model-id]');
  expect(await rows.count()).toBeGreaterThan(10);
  await expect(rows.first()).toHaveAttribute('data-row-status', 'untested');
  await screenshot(page, 'fleet');

  // Filters live in the route: a linked view opens filtered.
  await page.locator('select[aria-label="Provider"]').selectOption('sim-synthetic');
  await expect(page).toHaveURL(/#\/fleet\?provider=sim-synthetic/);
  await expect(page.locator('[data-grid-rows]')).toHaveAttribute('data-grid-rows', '13');

  // One tab stop, j/k between rows, Enter opens the model.
  await goTo(page, '#/fleet');
  const row = await showRow(page, 'together/mistral-7b');
  await expect(row).toHaveAttribute('data-row-status', 'untested');
  await page.locator('[role="grid"]').focus();
  // "g c" goes to Compare: its "c" is the chord's, not the grid's "canary the active row".
  await page.keyboard.press('g');
  await page.keyboard.press('c');
  await expect(page.locator('.page[data-page="compare"]')).toBeVisible();
  await page.keyboard.press('g');
  await page.keyboard.press('r');
  await expect(page.locator('.page[data-page="runs"]')).toBeVisible();
  await expect(page.locator('[data-run-id]')).toHaveCount(0);
  await goTo(page, '#/fleet');
  await showRow(page, 'together/mistral-7b');
  await page.locator('[role="grid"]').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('.page[data-page="model"][data-model-state="ready"]')).toHaveAttribute(
    'data-model-id',
    'together/mistral-7b',
  );
  await screenshot(page, 'model');

  // Streaming offers its own first-token deadline, checked against the call's timeout as typed.
  await expect(page.locator('[data-field="firstTokenTimeoutMs"]')).toHaveCount(0);
  await page.locator('[data-field="stream"]').check();
  const firstToken = page.locator('[data-field="firstTokenTimeoutMs"]');
  await firstToken.fill('45000');
  await expect(firstToken).toHaveAttribute('aria-invalid', 'true');
  await expect(
    page.getByText("firstTokenTimeoutMs: 45 s is over the call's timeout"),
  ).toBeVisible();
  await firstToken.fill('10000');
  await expect(firstToken).toHaveAttribute('aria-invalid', 'false');
  await screenshot(page, 'model-stream');

  // Cmd/Ctrl+K jumps to any model.
  await page.keyboard.press('Control+k');
  await page.getByLabel('Model or run id').fill('glm-4.7');
  await page.keyboard.press('Enter');
  await expect(page.locator('.page[data-page="model"]')).toHaveAttribute(
    'data-model-id',
    'synthetic/glm-4.7',
  );

  // The dark theme applies to every surface and persists.
  await page.locator('[data-action="toggle-theme"]').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await waitForReady(page);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await goTo(page, '#/fleet');
  await screenshot(page, 'fleet-dark');
});

test('at 1280 px the per-row Canary is in view and runs just that model', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await waitForReady(page);
  const row = await showRow(page, 'together/llama-3.3-70b');
  const button = row.locator('[data-action="row-canary"]');
  // Pinned to the grid's right edge: not behind the horizontal scroll of the config columns.
  await expect(button).toBeInViewport({ ratio: 1 });
  await expect(row.locator('.model-cell')).toBeInViewport({ ratio: 1 });
  await button.click();
  await expect(row).not.toHaveAttribute('data-row-calls', '0');
  await expect(row).toHaveAttribute('data-row-running', 'false');
  await expect(row.locator('.reason')).not.toBeEmpty();
  await expect(await showRow(page, 'together/mistral-7b')).toHaveAttribute('data-row-calls', '0');
});
