/** Points per chart of the /status page, read from the server-rendered HTML (`data-points`). */
export async function chartPoints(baseUrl: string): Promise<Record<string, number>> {
  const html = await (await fetch(`${baseUrl}/status`)).text();
  const out: Record<string, number> = {};
  for (const m of html.matchAll(/data-testid="chart-([a-z-]+)" data-points="(\d+)"/g))
    out[m[1] as string] = Number(m[2]);
  return out;
}

/** Polls until every chart has data: the rows reach the tables through batching writers (seconds). */
export async function waitForCharts(
  baseUrl: string,
  charts: readonly string[],
): Promise<Record<string, number>> {
  for (;;) {
    const points = await chartPoints(baseUrl);
    if (charts.every((c) => (points[c] ?? 0) > 0)) return points;
    await new Promise((r) => setTimeout(r, 1_000));
  }
}
