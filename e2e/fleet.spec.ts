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
  // The list has loaded (its empty state shows): no run was started.
  await expect(page.locator('[data-empty="runs"]')).toBeVisible();
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
  // Unticking Stream drops the deadline: no hidden value can block the save.
  await page.locator('[data-field="stream"]').uncheck();
  await page.locator('[data-field="stream"]').check();
  await expect(firstToken).toHaveValue('');
  await firstToken.fill('45000');
  await expect(
    page.getByText("firstTokenTimeoutMs: 45 s is over the call's timeout"),
  ).toBeVisible();
  await firstToken.fill('10000');
  await expect(firstToken).toHaveAttribute('aria-invalid', 'false');
  await screenshot(page, 'model-stream');

  // Cmd/Ctrl+K jumps to any model; the hint names the key this platform uses (Linux: Ctrl+K).
  await expect(page.locator('[data-jump-key]')).toHaveText('Ctrl+K');
  // Escape closes it and gives focus back where it was (here the first-token box), not the body.
  await firstToken.focus();
  await page.keyboard.press('Control+k');
  await expect(page.getByLabel('Model or run id')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(firstToken).toBeFocused();
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
  // Pinned beside the model: not behind the horizontal scroll of the config columns.
  await expect(button).toBeInViewport({ ratio: 1 });
  await expect(row.locator('.model-cell')).toBeInViewport({ ratio: 1 });
  await button.click();
  await expect(row).not.toHaveAttribute('data-row-calls', '0');
  await expect(row).toHaveAttribute('data-row-running', 'false');
  await expect(row.locator('.reason')).not.toBeEmpty();
  await expect(await showRow(page, 'together/mistral-7b')).toHaveAttribute('data-row-calls', '0');

  // The run's page names the version of the model it ran first, before the fallbacks it pinned.
  await goTo(page, '#/runs');
  await page.locator('[data-run-kind="canary"] a').first().click();
  await expect(page.locator('[data-pinned-versions]')).toHaveText(/^together\/llama-3\.3-70b v1, /);
});

test('the active row is a model: it stays on it across a sort and a visit to its page', async ({
  page,
}) => {
  await waitForReady(page);
  await page.locator('[data-fleet-search]').fill('^together/(qwen|llama)');
  const grid = page.locator('[role="grid"]');
  const active = page.locator('.grid-row.active');
  await expect(page.locator('[data-grid-rows]')).toHaveAttribute('data-grid-rows', /^([5-9]|1\d)$/);
  await grid.focus();
  for (let step = 0; step < 3; step++) await page.keyboard.press('j');
  const modelId = await active.getAttribute('data-model-id');
  expect(modelId).not.toBeNull();

  // Model descending reverses the (all untested, by id) order: the highlight moves with the model.
  const sortByModel = page.locator('.grid-header button.sort', { hasText: 'Model' });
  await sortByModel.click();
  // The keyboard sorts too: the header is its own tab stop, and Enter on it sorts (it does not
  // open the active row's model).
  await sortByModel.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/sort=id&dir=desc/);
  await expect(page.locator('.page[data-page="fleet"]')).toBeVisible();
  await expect(active).toHaveAttribute('data-model-id', modelId as string);
  const descendant = await grid.getAttribute('aria-activedescendant');
  await expect(page.locator(`#${descendant}`)).toHaveAttribute('data-model-id', modelId as string);

  // x and Enter act on that model, and coming back from its page it is still the active row.
  await grid.focus();
  await page.keyboard.press('x');
  await expect(active).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.locator('.page[data-page="model"]')).toHaveAttribute(
    'data-model-id',
    modelId as string,
  );
  await page.goBack();
  await expect(page.locator('.page[data-page="fleet"]')).toBeVisible();
  await expect(active).toHaveAttribute('data-model-id', modelId as string);
});

test('grid columns fit their widest figures and pinned columns never cover a cell', async ({
  page,
}) => {
  await waitForReady(page);
  await expect(page.locator('[role="row"][data-model-id]').first()).toBeVisible();
  // The time column is the last canary, failed ones included, and says so.
  const lastCanary = page.locator('.grid-header > th', { hasText: 'Last canary' });
  await expect(lastCanary).toHaveAttribute('title', /whatever the result/);
  for (const [width, height] of [
    [2560, 1200],
    [1440, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width, height });
    const problems = await page.evaluate((viewport) => {
      const found: string[] = [];
      const wrap = document.querySelector('.grid-wrap') as HTMLElement;
      const header = document.querySelector('.grid-header') as HTMLElement;
      const row = document.querySelector('.grid-row') as HTMLElement;
      const cellsOf = (element: Element) => [...element.children] as HTMLElement[];
      // The widest forms each figure takes, measured in a detached copy of a real row.
      const widest: Record<string, string[]> = {
        success: ['100%'],
        p50: ['12 345 ms', '123.4 s'],
        'cost-per-success': ['$0.000123', 'no success', '<$0.0001', 'unpriced'],
        calls: ['123,456'],
        timeout: ['120 s'],
        'last-canary': ['2026-01-01 12:00 UTC'],
      };
      const copy = row.cloneNode(true) as HTMLElement;
      row.parentElement?.appendChild(copy);
      for (const [column, samples] of Object.entries(widest)) {
        const cell = copy.querySelector(`[data-column="${column}"]`) as HTMLElement;
        for (const sample of samples) {
          cell.textContent = sample;
          if (cell.scrollWidth > cell.clientWidth) found.push(`${viewport}: "${sample}" cut`);
        }
      }
      copy.remove();
      for (const th of cellsOf(header)) {
        if (th.scrollWidth > th.clientWidth) found.push(`${viewport}: header ${th.textContent} cut`);
        if (th.classList.contains('sticky') && th.offsetHeight < header.clientHeight)
          found.push(`${viewport}: pinned header cell shorter than the header`);
      }
      // At rest, no cell lies under a pinned one.
      for (const line of [header, row]) {
        const pinned = cellsOf(line).filter((cell) => cell.classList.contains('sticky'));
        for (const cell of cellsOf(line).filter((cell) => !cell.classList.contains('sticky'))) {
          const box = cell.getBoundingClientRect();
          for (const pin of pinned) {
            const over = pin.getBoundingClientRect();
            if (box.left < over.right - 0.5 && box.right > over.left + 0.5)
              found.push(`${viewport}: ${cell.textContent || 'a cell'} under a pinned column`);
          }
        }
      }
      // Scrolling sideways brings every column, header and cell, wholly into view.
      const visibleRight = wrap.getBoundingClientRect().left + wrap.clientLeft + wrap.clientWidth;
      const pinnedRight = Math.max(
        ...cellsOf(row)
          .filter((cell) => cell.classList.contains('sticky'))
          .map((cell) => cell.getBoundingClientRect().right),
      );
      cellsOf(row).forEach((cell, index) => {
        if (cell.classList.contains('sticky')) return;
        wrap.scrollLeft += cell.getBoundingClientRect().left - pinnedRight;
        for (const part of [cell, cellsOf(header)[index] as HTMLElement]) {
          const box = part.getBoundingClientRect();
          if (box.left < pinnedRight - 0.5 || box.right > visibleRight + 0.5)
            found.push(`${viewport}: column ${index} cannot be scrolled into view`);
        }
      });
      wrap.scrollLeft = 0;
      return found;
    }, `${width}x${height}`);
    expect(problems).toEqual([]);
  }
});
