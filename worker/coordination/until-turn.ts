/** Sleep until `at` (epoch ms), the time a turn begins. */
export async function untilTurn(at: number): Promise<void> {
  const wait = at - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
