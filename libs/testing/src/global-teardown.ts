export default async function globalTeardown(): Promise<void> {
  await globalThis.__vigieServices?.stop();
}
