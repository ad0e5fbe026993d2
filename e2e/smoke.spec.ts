import { expect, test } from './fixtures';

test('first launch shows the simulated fleet, served over the token-protected bridge', async ({
  page,
  server,
}) => {
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await expect(page.locator('#app[data-page="fleet"]')).toBeVisible();
  // Every model of resources/fleets/simulated.json, untested, with no API key set anywhere.
  await expect(page.locator('[data-grid-rows]')).toHaveAttribute('data-grid-rows', '42');
  await expect(page.locator('[data-model-id][data-row-status]').first()).toHaveAttribute(
    'data-row-status',
    'untested',
  );
  // The token left the address bar; the HttpOnly cookie carries it from here on.
  expect(new URL(page.url()).searchParams.get('token')).toBeNull();
  await page.reload();
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();

  // Without the token the API refuses (a page on another origin would have neither).
  const origin = new URL(server.url).origin;
  const refused = await fetch(`${origin}/api/fleet.status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect(refused.status).toBe(401);
});
