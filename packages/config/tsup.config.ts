import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node22',
  // Ship the generated .env.example (dist/.env.example): the README and ConfigError's message point to it.
  async onSuccess() {
    const built = pathToFileURL(join(import.meta.dirname, 'dist', 'index.js'));
    const { renderEnvExample } = (await import(`${built.href}?t=${Date.now()}`)) as {
      renderEnvExample(): string;
    };
    await writeFile(join(import.meta.dirname, 'dist', '.env.example'), renderEnvExample());
  },
});
